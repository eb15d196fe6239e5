"""PostgreSQL: keep the case study row narrow, and always find search matches
through the GIN index.

- ``toast_tuple_target = 128``: the long texts (sections, search body, vector)
  are stored out of line, so a row is a few hundred bytes instead of several
  kilobytes and a pass over many thousands of matches reads a few megabytes.
  The shelf keys (0008) stay in the row (storage MAIN), since every facet count
  reads them. VACUUM FULL rewrites the rows already held (it cannot run in a
  transaction, hence ``atomic = False``).
- No statistics on ``search_vector``: with them, the planner sees that a common
  word matches most rows and reads every row's vector (detoasting each) instead
  of asking the index, which knows the answer without reading a vector. Changing
  the column's type to itself drops statistics already gathered.

SQLite stores rows its own way and searches through FTS5: nothing to do there."""

from django.db import migrations

KEYS = ["shelf_reform_types", "shelf_themes", "shelf_nations", "shelf_regions", "shelf_council_types"]
FORWARD = [
    "ALTER TABLE casestudies_casestudy SET (toast_tuple_target = 128), "
    + ", ".join(f"ALTER COLUMN {key} SET STORAGE MAIN" for key in KEYS),
    "ALTER TABLE casestudies_casestudy ALTER COLUMN search_vector SET STATISTICS 0, "
    "ALTER COLUMN search_vector TYPE tsvector",
    "VACUUM FULL casestudies_casestudy",
]
BACKWARD = [
    "ALTER TABLE casestudies_casestudy RESET (toast_tuple_target), "
    + ", ".join(f"ALTER COLUMN {key} SET STORAGE EXTENDED" for key in KEYS),
    "ALTER TABLE casestudies_casestudy ALTER COLUMN search_vector SET STATISTICS -1",
]


def postgres_only(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("casestudies", "0008_shelf_keys")]

    operations = [migrations.RunPython(postgres_only(FORWARD), postgres_only(BACKWARD))]
