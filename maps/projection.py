"""Where a longitude and latitude fall on the map: one projection for the
outline and the councils alike, so a council sits where its place is drawn.

Equirectangular, with longitude shrunk by the cosine of 54.5°N (the middle of
the UK), which keeps Great Britain's shape at this scale. The frame holds the
UK and Ireland, Shetland included."""

import math
from dataclasses import dataclass

WEST, EAST, SOUTH, NORTH = -10.7, 2.1, 49.8, 61.0
SHRINK = math.cos(math.radians(54.5))
WIDTH = 400  # SVG user units; the height follows from the frame's proportions
SCALE = WIDTH / ((EAST - WEST) * SHRINK)
HEIGHT = round((NORTH - SOUTH) * SCALE)


@dataclass(frozen=True)
class Point:
    x: float
    y: float


def project(longitude: float, latitude: float) -> Point:
    return Point(
        x=round((longitude - WEST) * SHRINK * SCALE, 1),
        y=round((NORTH - latitude) * SCALE, 1),
    )


def in_frame(longitude: float, latitude: float) -> bool:
    return WEST <= longitude <= EAST and SOUTH <= latitude <= NORTH


def view_box() -> str:
    return f"0 0 {WIDTH} {HEIGHT}"
