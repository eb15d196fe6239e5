import copy
import io
import json

import pytest
from django.core.management import CommandError, call_command

from casestudies.models import CaseStudy, PublicationState
from opendata.interchange import InterchangeError, import_case_studies
from opendata.interchange_schema import FileValidator, file_schema
from tests.factories import CouncilFactory


@pytest.fixture
def councils(db):
    return {
        "SHA": CouncilFactory(code="SHA", name="South Hams"),
        "WDE": CouncilFactory(code="WDE", name="West Devon"),
    }


def record(**overrides) -> dict:
    base = {
        "slug": "shared-legal",
        "title": "Shared legal service",
        "summary": "Two districts share one legal team.",
        "challenge": "Small teams.",
        "approach": "One team, hosted by South Hams.",
        "outcomes": "Lower external fees.",
        "lessons": "Agree charging first.",
        "councils": [{"council": "SHA", "role": "lead"}, {"council": "WDE", "role": "partner"}],
        "partners": ["Devon County Council legal team"],
        "reform_types": ["shared-services"],
        "themes": ["back-office"],
        "status": "implemented",
        "started": "2014-09",
        "evidence_level": 2,
        "savings": {"annual_gbp": 150000, "one_off_gbp": None, "investment_gbp": 20000, "notes": "Estimate."},
        "contact": {"role": "Head of Legal", "name": "Jo Parr", "email": "jo@secret.example"},
        "links": [{"title": "Report", "url": "https://example.org/report"}],
        "last_confirmed": "2024-05-14",
    }
    base.update(overrides)
    return base


def export_json() -> dict:
    out = io.StringIO()
    call_command("export_casestudies", stdout=out, stderr=io.StringIO())
    return json.loads(out.getvalue())


def test_it_imports_a_record_as_published(councils):
    summary = import_case_studies({"case_studies": [record()]})

    assert summary.created == ["shared-legal"]
    study = CaseStudy.objects.get(slug="shared-legal")
    assert study.publication_state == PublicationState.PUBLISHED
    assert study.published_at is not None
    assert study.lead_council.code == "SHA"
    assert study.started_year == 2014 and study.started_month == 9
    assert study.annual_savings_gbp == 150000
    assert list(study.links.values_list("url", flat=True)) == ["https://example.org/report"]


def test_an_export_of_an_import_reproduces_the_records(demo, demo_records):
    assert export_json() == demo_records


def test_one_bad_record_among_good_ones_writes_nothing(councils):
    bad = record(slug="bad-one", councils=[{"council": "XYZ", "role": "lead"}])
    data = {"case_studies": [record(), bad, record(slug="another")]}

    with pytest.raises(InterchangeError) as error:
        import_case_studies(data)

    assert [str(e) for e in error.value.errors] == [
        "record 2 (bad-one): councils[1].council: unknown council code 'XYZ'"
    ]
    assert CaseStudy.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reform_types": ["shared-servces"]}, "reform_types: unknown slug 'shared-servces'"),
        ({"themes": ["nope"]}, "themes: unknown slug 'nope'"),
        ({"summary": "x" * 401}, "summary: is too long: 401 characters, at most 400"),
        ({"started": "2014-13"}, "started: bad date '2014-13': the month must be 01 to 12"),
        ({"started": "Sept 2014"}, "started: bad date 'Sept 2014'"),
        ({"evidence_level": 6}, "evidence_level: must be a whole number from 1 to 5 or null"),
        ({"status": "done"}, "status: unknown status 'done'"),
        ({"slug": "Not A Slug"}, "slug: must be lower-case letters, digits and hyphens"),
        ({"savings": {"annual_gbp": -5}}, "savings.annual_gbp: must be a whole number of pounds"),
        ({"contact": {"email": "not-an-email"}}, "contact.email: is not an email address"),
        ({"links": [{"title": "x", "url": "javascript:alert(1)"}]}, "links[1].url: is not a web address"),
        ({"councils": [{"council": "SHA", "role": "partner"}]}, "councils: must name exactly one lead"),
        ({"sumary": "typo"}, "sumary: is not a field of the format"),
        ({"title": None}, "title: is required"),
        ({"last_confirmed": "March 2019"}, "last_confirmed: bad date 'March 2019': expected \"YYYY-MM-DD\""),
        ({"last_confirmed": "2019-02-30"}, "last_confirmed: bad date '2019-02-30': there is no such day"),
        ({"last_confirmed": "2099-01"}, "last_confirmed: bad date '2099-01': it is after today"),
    ],
)
def test_each_problem_is_reported_with_the_field_and_reason(councils, overrides, message):
    with pytest.raises(InterchangeError) as error:
        import_case_studies({"case_studies": [record(**overrides)]})

    assert any(message in str(e) for e in error.value.errors), error.value.errors
    assert all(str(e).startswith("record 1 (") for e in error.value.errors)
    assert CaseStudy.objects.count() == 0


def test_a_repeated_slug_in_one_file_is_refused(councils):
    with pytest.raises(InterchangeError, match="record 2 \\(shared-legal\\): slug: repeats record 1"):
        import_case_studies({"case_studies": [record(), record()]})


def test_a_file_that_is_not_in_the_format_is_refused(db):
    with pytest.raises(InterchangeError, match="must be a JSON object"):
        import_case_studies([record()])


def test_reimporting_updates_by_slug_and_reports_unchanged(councils):
    import_case_studies({"case_studies": [record()]})
    again = import_case_studies({"case_studies": [record()]})
    changed = import_case_studies({"case_studies": [record(title="Joint legal service")]})

    assert again.unchanged == ["shared-legal"]
    assert changed.updated == ["shared-legal"]
    assert CaseStudy.objects.count() == 1
    assert CaseStudy.objects.get().title == "Joint legal service"


def test_councils_may_be_named_as_people_type_them(councils):
    data = record(councils=[{"council": "south hams", "role": "lead"}])

    import_case_studies({"case_studies": [data]})

    assert CaseStudy.objects.get().lead_council.code == "SHA"


def test_the_command_lists_every_problem_and_writes_nothing(councils, tmp_path):
    path = tmp_path / "studies.json"
    bad = copy.deepcopy(record(slug="b", status="done", themes=["nope"]))
    path.write_text(json.dumps({"case_studies": [record(), bad]}), encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("import_casestudies", str(path), stdout=io.StringIO())

    text = str(error.value)
    assert "nothing was written" in text
    assert "record 2 (b): status: unknown status 'done'" in text
    assert "record 2 (b): themes: unknown slug 'nope'" in text
    assert CaseStudy.objects.count() == 0


def test_the_command_says_where_json_is_broken(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"case_studies": [', encoding="utf-8")

    with pytest.raises(CommandError, match="not valid JSON \\(line 1"):
        call_command("import_casestudies", str(path))


def test_the_command_summarises_what_it_did(councils, tmp_path):
    path = tmp_path / "studies.json"
    path.write_text(json.dumps({"case_studies": [record()]}), encoding="utf-8")
    out = io.StringIO()

    call_command("import_casestudies", str(path), stdout=out)

    assert "Case studies: 1 created, 0 updated, 0 unchanged." in out.getvalue()


def test_export_to_a_file_can_be_imported_into_an_empty_database(demo, tmp_path, demo_records):
    path = tmp_path / "backup.json"
    call_command("export_casestudies", output=str(path), stderr=io.StringIO())
    CaseStudy.objects.all().delete()

    call_command("import_casestudies", str(path), stdout=io.StringIO())

    assert export_json() == demo_records


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": 5}, "title: must be text, not int"),
        ({"partners": ["NHS Devon", 7]}, "partners[2]: must be text, not int"),
        ({"evidence_level": 2.0}, "evidence_level: must be a whole number from 1 to 5 or null, not 2.0"),
        (
            {"savings": {"annual_gbp": "lots"}},
            "savings.annual_gbp: must be a whole number of pounds, 0 or more, or null, not 'lots'",
        ),
        ({"contact": "Jo Parr"}, "contact: must be an object"),
        ({"councils": [{"council": 5, "role": "lead"}]}, "councils[1].council: must be text, not int"),
        (
            {"links": [{"title": "Report", "url": ["https://example.org"]}]},
            "links[1].url: must be text, not list",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_reported_at_its_field_alone(councils, overrides, message):
    with pytest.raises(InterchangeError) as error:
        import_case_studies({"case_studies": [record(**overrides)]})

    assert [str(e) for e in error.value.errors] == [f"record 1 (shared-legal): {message}"]


def test_a_problem_names_the_record_by_its_position_and_slug(councils):
    data = {"case_studies": [record(slug="a"), record(slug="b"), record(slug="slug-x", started="Sept 2014")]}

    with pytest.raises(InterchangeError) as error:
        import_case_studies(data)

    assert [str(e) for e in error.value.errors] == [
        'record 3 (slug-x): started: bad date \'Sept 2014\': expected "YYYY" or "YYYY-MM"'
    ]
    assert CaseStudy.objects.count() == 0


def test_text_longer_than_the_database_holds_is_refused_before_anything_is_written(councils):
    data = record(contact={"role": "Head of Legal", "name": "J" * 151, "email": "jo@example.org"})

    with pytest.raises(InterchangeError, match=r"contact\.name: is too long: 151 characters, at most 150"):
        import_case_studies({"case_studies": [data]})


def test_the_format_is_described_by_a_valid_json_schema():
    schema = file_schema()

    FileValidator.check_schema(schema)
    record_properties = schema["properties"]["case_studies"]["items"]["properties"]
    assert list(record_properties) == list(record())


@pytest.mark.parametrize(("written", "stored"), [("2019-03-15", "2019-03-15"), ("2019-03", "2019-03-01")])
def test_the_last_confirmed_date_is_imported_and_exported_as_written(councils, written, stored):
    import_case_studies({"case_studies": [record(last_confirmed=written)]})

    assert CaseStudy.objects.get().last_confirmed_at.isoformat() == stored
    assert export_json()["case_studies"][0]["last_confirmed"] == written
    again = import_case_studies({"case_studies": [record(last_confirmed=written)]})
    assert again.unchanged == ["shared-legal"]


@pytest.mark.parametrize("given", ["null", "missing"])
def test_a_record_without_a_last_confirmed_date_is_not_given_the_day_of_the_import(councils, given):
    data = record(last_confirmed=None)
    if given == "missing":
        del data["last_confirmed"]

    import_case_studies({"case_studies": [data]})

    assert CaseStudy.objects.get().last_confirmed_at is None
    assert export_json()["case_studies"][0]["last_confirmed"] is None


def test_reimporting_without_the_date_clears_it_rather_than_keeping_a_stale_one(councils):
    import_case_studies({"case_studies": [record(last_confirmed="2019-03")]})

    changed = import_case_studies({"case_studies": [record(last_confirmed=None)]})

    assert changed.updated == ["shared-legal"]
    assert CaseStudy.objects.get().last_confirmed_at is None
