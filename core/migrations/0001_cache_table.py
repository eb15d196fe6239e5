"""The shared cache's table, so that `migrate` alone gives a working site.

Rate limits, the shelf version and cached pages live in the cache; with the
database cache (the default) its table must exist before the first request or
command. Django makes it with `createcachetable`, which this runs."""

from django.conf import settings
from django.core.cache.backends.db import DatabaseCache
from django.core.management import call_command
from django.db import migrations
from django.utils.module_loading import import_string


def database_cache_tables() -> list[str]:
    tables = []
    for options in settings.CACHES.values():
        if issubclass(import_string(options["BACKEND"]), DatabaseCache):
            tables.append(options["LOCATION"])
    return tables


def create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop(apps, schema_editor):
    for table in database_cache_tables():
        schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies = []
    operations = [migrations.RunPython(create, drop)]
