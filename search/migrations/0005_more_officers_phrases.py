"""More of officers' everyday phrases: money trouble, working alone or as one
team, central government, corporate services, selling services. Added to the
groups the previous migration made (or as new groups), so curators' later
edits to other groups are left alone; taken out again on the way back."""

from django.db import migrations

# (the first entry of an existing group to widen, or None for a new group; note; entries)
ADDITIONS = [
    ("savings", "", ["cash-strapped", "cash strapped", "funding gap", "falling income", "falling budgets",
                     "shrinking budgets", "funding cuts", "more with less"]),
    ("back office", "", ["corporate services"]),
    ("company", "", ["selling services", "selling our services", "sell services", "income generation",
                     "generate income"]),
    (None, "Working alone", ["on our own", "on their own", "on its own", "alone", "by ourselves"]),
    (None, "One team across councils", ["one team", "one staff team", "single team", "one workforce",
                                        "single workforce", "shared workforce"]),
    (None, "Central government", ["whitehall", "central government", "government", "ministers"]),
    (None, "Fewer layers of managers", ["delayering", "layers of management", "middle management",
                                        "management layers", "management costs"]),
]  # fmt: skip


def _group(SynonymGroup, first: str):
    for group in SynonymGroup.objects.all():
        if group.terms.splitlines()[:1] == [first]:
            return group
    return None


def add(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for first, note, entries in ADDITIONS:
        if first is None:
            SynonymGroup.objects.create(terms="\n".join(entries), note=note)
            continue
        group = _group(SynonymGroup, first)
        if group is not None:
            kept = group.terms.splitlines()
            group.terms = "\n".join(kept + [entry for entry in entries if entry not in kept])
            group.save(update_fields=["terms"])


def take_out(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for first, note, entries in ADDITIONS:
        if first is None:
            SynonymGroup.objects.filter(terms="\n".join(entries), note=note).delete()
            continue
        group = _group(SynonymGroup, first)
        if group is not None:
            group.terms = "\n".join(line for line in group.terms.splitlines() if line not in entries)
            group.save(update_fields=["terms"])


class Migration(migrations.Migration):
    dependencies = [("search", "0004_seed_synonyms_and_vectors")]

    operations = [migrations.RunPython(add, take_out)]
