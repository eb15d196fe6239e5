"""The limits' own cache table (CACHES["limits"]), beside the shared cache's."""

from django.core.management import call_command
from django.db import migrations


def create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name('showcase_limits')}")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_worker_heartbeat_and_sent_email")]
    operations = [migrations.RunPython(create, drop)]
