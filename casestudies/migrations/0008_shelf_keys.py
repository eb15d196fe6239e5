"""What the shelves filter and count by, on each case study's own row
(casestudies.shelf_keys), filled in for the case studies already held.

On SQLite adding these columns remakes the table, which drops the raw index
of 0007: it is made again here."""

from collections import defaultdict

from django.db import migrations, models

KEY_FIELDS = {
    "reform_type": "shelf_reform_types",
    "theme": "shelf_themes",
    "nation": "shelf_nations",
    "region": "shelf_regions",
    "council_type": "shelf_council_types",
}
SQLITE_INDEX = (
    "CREATE INDEX IF NOT EXISTS published_newest_first ON casestudies_casestudy "
    "(published_at DESC, id DESC) WHERE publication_state = 'published'"
)


def encode(values) -> str:
    kept = sorted({str(value) for value in values if value})
    return f"|{'|'.join(kept)}|" if kept else ""


def fill_keys(apps, schema_editor):
    CaseStudy = apps.get_model("casestudies", "CaseStudy")
    CaseStudyCouncil = apps.get_model("casestudies", "CaseStudyCouncil")
    values = defaultdict(lambda: defaultdict(set))
    for pk, slug in CaseStudy.reform_types.through.objects.values_list("casestudy_id", "reformtype__slug"):
        values[pk]["reform_type"].add(slug)
    for pk, slug in CaseStudy.themes.through.objects.values_list("casestudy_id", "theme__slug"):
        values[pk]["theme"].add(slug)
    links = CaseStudyCouncil.objects.values_list(
        "case_study_id", "council__nation", "council__region", "council__council_type"
    )
    for pk, nation, region, council_type in links:
        values[pk]["nation"].add(nation)
        values[pk]["region"].add(region)
        values[pk]["council_type"].add(council_type)
    studies = [
        CaseStudy(pk=pk, **{field: encode(found[facet]) for facet, field in KEY_FIELDS.items()})
        for pk, found in values.items()
    ]
    CaseStudy.objects.bulk_update(studies, list(KEY_FIELDS.values()), batch_size=500)


def sqlite_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_INDEX)


class Migration(migrations.Migration):
    dependencies = [("casestudies", "0007_published_newest_first_index")]

    operations = [
        *[
            migrations.AddField(
                model_name="casestudy",
                name=field,
                field=models.TextField(blank=True, default="", editable=False),
            )
            for field in KEY_FIELDS.values()
        ],
        migrations.RunPython(sqlite_index, sqlite_index),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
    ]
