"""Indexes that let a filtered list and its facet counts read an index instead of
every published row, over published case studies only (partial, like
published_newest_first in 0007, and like it, a later migration that rebuilds the
table on SQLite would drop them: add them again there).

Why: the rows are wide. A case study's sections are a few hundred bytes each, under
the size at which PostgreSQL moves values out of the row (TOAST starts above about
2 kB whatever ``toast_tuple_target`` says, 0009), so at 100,000 case studies the
table is 156 MB, and a filtered list sorted by evidence read all of it to find 20
rows (111 ms), as did every facet count (232 ms).

- ``shelf_covering``: every column the shelves filter, count and sort by, in about a
  tenth of the table (15 MB at 100,000). Facet counts and the choice of a page's ids
  (browse.shelves.RankedFirst) read it alone, an index-only scan. PostgreSQL keys it
  on the id (a search narrows the shelves to ids) and carries the rest with INCLUDE;
  SQLite has no INCLUDE, and an index whose keys are all the columns a query reads
  covers it just the same.
- One index in each of the list's other orders (browse.shelves.ORDERINGS; "newest"
  has 0007's): a page of a filtered list walks it and stops after 20 matches (the
  evidence order at 100,000, filtered to one nation: 111 ms to 1.6 ms). PostgreSQL
  needs NULLS LAST to match the query; SQLite sorts NULLs last for DESC anyway."""

from django.db import migrations

COLUMNS = (
    "shelf_reform_types, shelf_themes, shelf_nations, shelf_regions, shelf_council_types, "
    "status, evidence_level, annual_savings_gbp, one_off_savings_gbp, adoption_count, "
    "started_year, published_at"
)
WHERE = "WHERE publication_state = 'published'"
ORDERS = {
    "published_by_evidence": "evidence_level DESC{nulls}, published_at DESC{nulls}, id DESC",
    "published_by_savings": "annual_savings_gbp DESC{nulls}, published_at DESC{nulls}, id DESC",
    "published_by_adoptions": "adoption_count DESC, published_at DESC{nulls}, id DESC",
}


def statements(vendor: str) -> list[str]:
    nulls = " NULLS LAST" if vendor == "postgresql" else ""
    covering = f"(id) INCLUDE ({COLUMNS})" if vendor == "postgresql" else f"(id, {COLUMNS})"
    return [
        f"CREATE INDEX shelf_covering ON casestudies_casestudy {covering} {WHERE}",
        *(
            f"CREATE INDEX {name} ON casestudies_casestudy ({order.format(nulls=nulls)}) {WHERE}"
            for name, order in ORDERS.items()
        ),
    ]


def create(apps, schema_editor):
    if schema_editor.connection.vendor in ("postgresql", "sqlite"):
        for statement in statements(schema_editor.connection.vendor):
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in ("postgresql", "sqlite"):
        for name in ["shelf_covering", *ORDERS]:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0009_narrow_rows_on_postgresql")]

    operations = [migrations.RunPython(create, drop)]
