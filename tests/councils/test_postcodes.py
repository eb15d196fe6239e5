import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command

from councils.models import Postcode
from councils.postcodes import find_postcode
from tests.councils.onspd import COLUMNS, onspd_row, write_onspd
from tests.factories import CouncilFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def councils():
    return {
        "SHA": CouncilFactory(code="SHA", name="South Hams", gss_code="E07000044"),
        "WDE": CouncilFactory(code="WDE", name="West Devon", gss_code="E07000047"),
        # Glasgow had two other GSS codes before a boundary change in 2018.
        "GLG": CouncilFactory(code="GLG", name="Glasgow", gss_code="S12000049", former_gss_codes="S12000046"),
    }


def load(path, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_postcodes", str(path), stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def stored() -> dict[str, str]:
    return dict(Postcode.objects.values_list("postcode", "council__code"))


def test_it_loads_each_postcode_with_the_council_of_its_oslaua_code(tmp_path, councils):
    path = write_onspd(
        tmp_path / "onspd.csv", [onspd_row("TQ9 5NE", "E07000044"), onspd_row("PL19 0BZ", "E07000047")]
    )

    load(path)

    assert stored() == {"TQ95NE": "SHA", "PL190BZ": "WDE"}


def test_a_postcode_is_found_as_typed_in_any_case_and_spacing(tmp_path, councils):
    load(write_onspd(tmp_path / "onspd.csv", [onspd_row("TQ9 5NE", "E07000044")]))

    found = find_postcode("  tq95ne ")

    assert found.council.code == "SHA"
    assert found.display == "TQ9 5NE"


def test_a_council_is_found_by_a_gss_code_it_had_before(tmp_path, councils):
    load(write_onspd(tmp_path / "onspd.csv", [onspd_row("G1 1AA", "S12000046")]))

    assert stored() == {"G11AA": "GLG"}


def test_a_current_council_wins_over_an_abolished_one_with_the_same_code(tmp_path, councils):
    CouncilFactory(code="OLDX", gss_code="E07000044", end_date=datetime.date(2019, 3, 31))

    load(write_onspd(tmp_path / "onspd.csv", [onspd_row("TQ9 5NE", "E07000044")]))

    assert stored() == {"TQ95NE": "SHA"}


def test_terminated_postcodes_are_skipped(tmp_path, councils):
    path = write_onspd(
        tmp_path / "onspd.csv",
        [onspd_row("TQ9 5NE", "E07000044"), onspd_row("TQ9 5XX", "E07000044", doterm="201104")],
    )

    out, _ = load(path)

    assert stored() == {"TQ95NE": "SHA"}
    assert "Skipped as terminated: 1." in out


def test_it_ends_with_a_summary_of_what_it_read(tmp_path, councils):
    path = write_onspd(
        tmp_path / "onspd.csv",
        [
            onspd_row("TQ9 5NE", "E07000044"),
            onspd_row("TQ9 5XX", "E07000044", doterm="201104"),
            onspd_row("JE2 3AB", "L99999999"),  # Jersey: no council of the register
            onspd_row("GY1 1AA", "L99999999"),
        ],
    )

    out, _ = load(path)

    assert (
        "Rows read: 4. Postcodes loaded: 1. Skipped as terminated: 1. "
        "With a council code not in the register: 2." in out
    )
    assert "Council codes not in the register: L99999999 (2)" in out


def test_it_reports_progress_on_stderr_as_it_reads(tmp_path, councils):
    rows = [onspd_row(f"TQ9 {n}AA", "E07000044") for n in range(1, 10)]

    out, err = load(write_onspd(tmp_path / "onspd.csv", rows), progress_every=3)

    reports = re.findall(r"([0-9,]+) rows read \(([0-9]+)% of the file\)", err)
    assert [rows for rows, _ in reports] == ["3", "6", "9", "9"]  # every 3 rows, and at the end
    assert reports[-1][1] == "100"
    assert "rows read" not in out


def test_a_new_load_replaces_the_previous_one(tmp_path, councils):
    load(write_onspd(tmp_path / "first.csv", [onspd_row("TQ9 5NE", "E07000044")]))

    load(write_onspd(tmp_path / "second.csv", [onspd_row("PL19 0BZ", "E07000047")]))

    assert stored() == {"PL190BZ": "WDE"}


def test_a_bad_row_anywhere_leaves_the_previous_load_as_it_was(tmp_path, councils):
    load(write_onspd(tmp_path / "first.csv", [onspd_row("TQ9 5NE", "E07000044")]))
    rows = [onspd_row(f"PL19 {n}BZ", "E07000047") for n in range(1, 10)]
    rows[7]["pcds"] = "NOT A POSTCODE"
    path = write_onspd(tmp_path / "second.csv", rows)

    with pytest.raises(CommandError, match=r"nothing was changed: row 9, column pcds: 'NOT A POSTCODE'"):
        call_command("import_postcodes", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    assert stored() == {"TQ95NE": "SHA"}


def test_a_bad_row_after_rows_already_written_in_batches_is_all_or_nothing(tmp_path, councils):
    rows = [onspd_row(f"PL19 {n}BZ", "E07000047") for n in range(1, 10)]
    rows.append(onspd_row("PL19 1BZ", "E07000047"))  # again, in a later batch
    path = write_onspd(tmp_path / "onspd.csv", rows)

    with pytest.raises(CommandError, match="appears twice"):
        call_command(
            "import_postcodes", str(path), "--batch-size=4", stdout=io.StringIO(), stderr=io.StringIO()
        )

    assert stored() == {}


def test_a_missing_column_is_named_and_nothing_is_written(tmp_path, councils):
    path = write_onspd(
        tmp_path / "onspd.csv",
        [onspd_row("TQ9 5NE", "E07000044")],
        columns=[column for column in COLUMNS if column != "oslaua"],
    )

    with pytest.raises(CommandError, match="has no column 'oslaua'"):
        load(path)

    assert stored() == {}


def test_a_file_that_is_not_csv_is_refused(tmp_path, councils):
    path = tmp_path / "ONSPD_NOV_2026.zip"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00\xb4\x9c\xff\xfe\x00")

    with pytest.raises(CommandError, match="is not a CSV file"):
        load(path)

    assert stored() == {}


def test_a_row_with_too_few_columns_is_named(tmp_path, councils):
    path = write_onspd(tmp_path / "onspd.csv", [onspd_row("TQ9 5NE", "E07000044")])
    with path.open("a", encoding="utf-8") as file:
        file.write("TQ9 5NF,TQ9  5NF\n")

    with pytest.raises(CommandError, match="row 3 has a different number of columns"):
        load(path)

    assert stored() == {}


def test_a_file_with_no_postcode_of_a_known_council_changes_nothing(tmp_path, councils):
    load(write_onspd(tmp_path / "first.csv", [onspd_row("TQ9 5NE", "E07000044")]))

    with pytest.raises(CommandError, match="import the councils first"):
        load(write_onspd(tmp_path / "second.csv", [onspd_row("JE2 3AB", "L99999999")]))

    assert stored() == {"TQ95NE": "SHA"}


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        load(tmp_path / "nowhere.csv")
