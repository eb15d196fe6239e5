"""Seed the curated vocabularies with their fixed slugs. Curators may edit
names and descriptions afterwards in the admin."""

from django.db import migrations

from casestudies.vocabularies import REFORM_TYPES, THEMES, seed_vocabularies


def seed(apps, schema_editor):
    seed_vocabularies(apps.get_model("casestudies", "ReformType"), apps.get_model("casestudies", "Theme"))


def unseed(apps, schema_editor):
    apps.get_model("casestudies", "ReformType").objects.filter(
        slug__in=[s for s, *_ in REFORM_TYPES]
    ).delete()
    apps.get_model("casestudies", "Theme").objects.filter(slug__in=[s for s, _ in THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
