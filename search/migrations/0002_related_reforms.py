"""Related reforms, stored (search.related), and worked out for the case studies
already published. A new site has none, and then nothing is worked out here."""

import django.db.models.deletion
from django.db import migrations, models

from search.related import rebuild_related_reforms


def work_out_lists(apps, schema_editor):
    CaseStudy = apps.get_model("casestudies", "CaseStudy")
    if CaseStudy.objects.filter(publication_state="published").exists():
        rebuild_related_reforms()


class Migration(migrations.Migration):
    dependencies = [
        ("casestudies", "0009_narrow_rows_on_postgresql"),
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="RelatedReform",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.PositiveSmallIntegerField()),
                (
                    "case_study",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="casestudies.casestudy",
                    ),
                ),
                (
                    "related",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="related_to",
                        to="casestudies.casestudy",
                    ),
                ),
            ],
            options={
                "ordering": ["case_study", "position"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("case_study", "position"), name="one_related_reform_per_position"
                    ),
                    models.UniqueConstraint(
                        fields=("case_study", "related"), name="each_related_reform_once"
                    ),
                ],
            },
        ),
        migrations.RunPython(work_out_lists, migrations.RunPython.noop),
    ]
