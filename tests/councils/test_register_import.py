import datetime

import pytest
from django.core.management import CommandError, call_command

from councils.models import Council, CouncilType
from councils.register import RegisterError, import_aliases, import_register

HEADER = (
    "local-authority-code,official-name,nice-name,gss-code,start-date,end-date,replaced-by,"
    "nation,region,local-authority-type,county-la,combined-authority,pop-2020\n"
)


def register(*rows: str) -> str:
    return HEADER + "".join(row + "\n" for row in rows)


GOOD_ROWS = [
    "DEV,Devon County Council,Devon,E10000008,,,,England,South West,CTY,,,800000",
    "SHA,South Hams District Council,South Hams,E07000044,,,,England,South West,NMD,DEV,,87946",
    "OLDX,Old Shire District Council,Old Shire,,,2019-03-31,NEWX,England,South West,NMD,DEV,,",
    "NEWX,New Shire Council,New Shire,,2019-04-01,,,England,South West,UA,,,150000",
]


@pytest.mark.django_db
def test_it_imports_the_full_register(register_csv):
    summary = import_register(register_csv.read_text(encoding="utf-8"))

    assert len(summary.created) == 470
    assert Council.objects.count() == 470
    south_hams = Council.objects.get(code="SHA")
    assert south_hams.name == "South Hams"
    assert south_hams.official_name == "South Hams District Council"
    assert south_hams.gss_code == "E07000044"
    assert south_hams.council_type == CouncilType.NON_METROPOLITAN_DISTRICT
    assert south_hams.region == "South West"
    assert south_hams.county.code == "DEV"
    assert south_hams.population == 87946
    assert Council.objects.get(code="OLD").combined_authority.code == "GMCA"


@pytest.mark.django_db
def test_a_rerun_updates_and_never_duplicates(register_csv):
    text = register_csv.read_text(encoding="utf-8")
    import_register(text)
    Council.objects.filter(code="SHA").update(name="Wrong name")

    summary = import_register(text)

    assert Council.objects.count() == 470
    assert summary.created == []
    assert summary.updated == ["SHA"]
    assert len(summary.unchanged) == 469
    assert Council.objects.get(code="SHA").name == "South Hams"


@pytest.mark.django_db
def test_an_abolished_council_links_to_its_successors(register_csv):
    import_register(register_csv.read_text(encoding="utf-8"))

    cumbria = Council.objects.get(code="CMA")
    assert cumbria.end_date == datetime.date(2023, 4, 1)
    assert not cumbria.is_current
    assert {c.code for c in cumbria.replaced_by.all()} == {"CBD", "WAF"}
    assert "CMA" in {c.code for c in Council.objects.get(code="CBD").predecessors.all()}
    assert not Council.objects.current().filter(code="CMA").exists()
    assert Council.objects.abolished().filter(code="CMA").exists()


@pytest.mark.django_db
def test_a_row_may_name_a_council_that_comes_later_in_the_file():
    summary = import_register(register(*GOOD_ROWS))

    assert sorted(summary.created) == ["DEV", "NEWX", "OLDX", "SHA"]
    assert Council.objects.get(code="OLDX").replaced_by.get().code == "NEWX"


@pytest.mark.django_db
def test_a_file_with_a_missing_column_is_refused_and_nothing_written():
    text = register(*GOOD_ROWS).replace(",nation,", ",country,", 1)

    with pytest.raises(RegisterError) as error:
        import_register(text)

    assert "the file has no column 'nation'" in error.value.problems
    assert Council.objects.count() == 0


@pytest.mark.django_db
def test_an_unreadable_row_is_named_by_row_and_column_and_nothing_written():
    rows = [*GOOD_ROWS, "BADX,Bad Council,Bad,,1st April,,,England,South West,NMD,,,"]

    with pytest.raises(RegisterError) as error:
        import_register(register(*rows))

    assert error.value.problems == ["row 6, column start-date: '1st April' is not a date (YYYY-MM-DD)"]
    assert Council.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_type_or_reference_is_refused():
    rows = [
        "AAA,A Council,A,,,,,England,South East,XYZ,,,",
        "BBB,B Council,B,,,,ZZZ,England,South East,NMD,,,",
    ]

    with pytest.raises(RegisterError) as error:
        import_register(register(*rows))

    problems = "\n".join(error.value.problems)
    assert "row 2, column local-authority-type: unknown type 'XYZ'" in problems
    assert "row 3, column replaced-by: unknown council code 'ZZZ'" in problems
    assert Council.objects.count() == 0


@pytest.mark.django_db
def test_typed_names_resolve_through_aliases(register_csv):
    from tests.conftest import ALIASES_CSV

    import_register(register_csv.read_text(encoding="utf-8"))
    added, _unknown = import_aliases(ALIASES_CSV.read_text(encoding="utf-8"))

    assert added > 0
    assert Council.objects.resolve("aberdeen cuty").code == "ABE"
    assert Council.objects.resolve("  South Hams District Council ").code == "SHA"
    assert Council.objects.resolve("sha").code == "SHA"
    # One spelling, two bodies: the current one wins.
    assert Council.objects.resolve("North Yorkshire").is_current
    assert Council.objects.resolve("Nowhere-on-Sea") is None


@pytest.mark.django_db
def test_the_command_reports_what_it_did(register_csv, capsys):
    call_command("import_councils", str(register_csv))
    call_command("import_councils", str(register_csv))

    output = capsys.readouterr().out
    assert "Councils: 470 created, 0 updated, 0 unchanged" in output
    assert "Councils: 0 created, 0 updated, 470 unchanged" in output


@pytest.mark.django_db
def test_the_command_refuses_a_bad_file_with_the_reason(tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("local-authority-code,official-name\nSHA,South Hams\n", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("import_councils", str(path))

    assert "nothing was written" in str(error.value)
    assert "the file has no column 'nice-name'" in str(error.value)
    assert Council.objects.count() == 0


@pytest.mark.django_db
def test_the_command_says_when_the_file_cannot_be_read(tmp_path):
    with pytest.raises(CommandError, match="Could not read"):
        call_command("import_councils", str(tmp_path / "missing.csv"))


@pytest.mark.django_db
def test_it_keeps_the_gss_codes_a_council_had_before(register_csv):
    import_register(register_csv.read_text(encoding="utf-8"))

    glasgow = Council.objects.get(code="GLG")

    assert glasgow.all_gss_codes == ["S12000049", "S12000046", "S12000043"]


@pytest.mark.django_db
def test_more_former_gss_codes_than_can_be_kept_are_refused_naming_the_column():
    codes = ",".join(f"E070{n:05d}" for n in range(30))
    text = HEADER.replace(",pop-2020\n", ",pop-2020,former-gss-codes\n") + (
        f'SHA,South Hams District Council,South Hams,E07000044,,,,England,South West,NMD,,,87946,"{codes}"\n'
    )

    with pytest.raises(RegisterError, match="row 2, column former-gss-codes"):
        import_register(text)

    assert not Council.objects.exists()
