"""Officers' words for failure demand, for working with other councils, for a
council too small to go it alone, for devolution as "more powers", for special
educational needs as Scotland and school transport teams say it, and for the
layers of management that shared services take out. Added to the
groups earlier migrations made (or as new groups), so curators' later edits to
other groups are left alone; taken out again on the way back."""

from django.db import migrations

# (the first entry of an existing group to widen, or None for a new group; note; entries)
ADDITIONS = [
    (None, "Failure demand: people contacting the council again because something was not done",
     ["failure demand", "avoidable contact", "avoidable demand", "repeat calls", "ringing up", "chasing",
      "chasing up", "demand"]),
    (None, "Other councils",
     ["another council", "other councils", "two councils", "three councils", "both councils",
      "neighbouring council", "neighbouring councils", "partner councils", "between councils"]),
    ("SEND", "", ["additional support needs", "ASN", "specialist education", "home-to-school transport",
                  "school transport"]),
    (None, "Too small to go it alone",
     ["cannot cope", "can't cope", "could not cope", "too small", "could not afford", "cannot afford",
      "lacked capacity", "lack capacity", "lacks capacity", "struggled to sustain", "resilience"]),
    ("devolution", "", ["more powers", "new powers", "devolved powers", "powers from government"]),
    ("delayering", "", ["management team", "management teams", "management structure", "senior management"]),
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
    dependencies = [("search", "0005_more_officers_phrases")]

    operations = [migrations.RunPython(add, take_out)]
