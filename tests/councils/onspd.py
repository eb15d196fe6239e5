"""Small postcode directory files in ONSPD's own layout, written by the tests that need them."""

import csv
from pathlib import Path

# ONSPD's header, column for column, as ONS publishes it.
COLUMNS = [
    "pcd",
    "pcd2",
    "pcds",
    "dointr",
    "doterm",
    "oscty",
    "ced",
    "oslaua",
    "osward",
    "parish",
    "usertype",
    "oseast1m",
    "osnrth1m",
    "osgrdind",
    "oshlthau",
    "nhser",
    "ctry",
    "rgn",
    "streg",
    "pcon",
    "eer",
    "teclec",
    "ttwa",
    "pct",
    "itl",
    "statsward",
    "oa01",
    "casward",
    "npark",
    "lsoa01",
    "msoa01",
    "ur01ind",
    "oac01",
    "oa11",
    "lsoa11",
    "msoa11",
    "wz11",
    "sicbl",
    "bua24",
    "ru11ind",
    "oac11",
    "lat",
    "long",
    "lep1",
    "lep2",
    "pfa",
    "imd",
    "calncv",
    "icb",
    "oa21",
    "lsoa21",
    "msoa21",
    "ruc21ind",
    "globalid",
]


def onspd_row(postcode: str, oslaua: str, *, doterm: str = "", **others: str) -> dict[str, str]:
    """One row as ONSPD writes it: pcd padded to seven characters, pcds with its one space."""
    outward, inward = postcode.split()
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        pcd=f"{outward:<4}{inward}",
        pcd2=f"{outward:<5}{inward}",
        pcds=postcode,
        dointr="199906",
        doterm=doterm,
        oslaua=oslaua,
        ctry="E92000001",
        lat="50.3",
        long="-3.7",
        **others,
    )
    return row


def write_onspd(path: Path, rows: list[dict[str, str]], columns=COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path
