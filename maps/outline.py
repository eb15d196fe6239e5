"""The coastline the map is drawn on: derived from Natural Earth (public
domain, through the npm package world-atlas) by ``maps/build_outline.mjs`` at
``make assets`` time into build/maps/outline.json, and projected here once per
process. Nothing is fetched when a page is drawn."""

import functools
import json
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from maps.projection import project

logger = logging.getLogger(__name__)


def outline_file() -> Path:
    return Path(settings.BASE_DIR) / "build" / "maps" / "outline.json"


@dataclass(frozen=True)
class Country:
    name: str
    path: str  # SVG path data


@dataclass(frozen=True)
class Outline:
    countries: tuple[Country, ...]
    source: str


def _path(rings: list) -> str:
    parts = []
    for ring in rings:
        points = [project(longitude, latitude) for longitude, latitude in ring]
        parts.append("M" + "L".join(f"{point.x:g},{point.y:g}" for point in points) + "Z")
    return "".join(parts)


@functools.cache
def outline() -> Outline:
    """The UK (and Ireland, for context) as SVG paths; empty, with a warning
    in the log, when `make assets` has not built the file."""
    try:
        data = json.loads(outline_file().read_text(encoding="utf-8"))
    except FileNotFoundError:
        logger.warning("No map outline at %s: run make assets. The map shows councils alone.", outline_file())
        return Outline(countries=(), source="")
    countries = tuple(Country(name=name, path=_path(rings)) for name, rings in data["countries"].items())
    return Outline(countries=countries, source=data["source"])
