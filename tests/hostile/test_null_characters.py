"""A NUL (or any character no register code has) in a council's address is a
council that does not exist: 404, on PostgreSQL as on SQLite, never a 500."""

import pytest

from tests.factories import CaseStudyFactory, CouncilFactory

pytestmark = pytest.mark.django_db

ODD_CODES = ["%00", "a%00b", "SHA%00", "%00%27", "%1B", "%E2%80%A8"]


@pytest.fixture
def council(db):
    council = CouncilFactory(name="South Hams", code="SHA")
    CaseStudyFactory(lead=council)
    return council


@pytest.mark.parametrize("code", ODD_CODES)
@pytest.mark.parametrize("address", ["/councils/{}/", "/api/v1/councils/{}/", "/feeds/councils/{}.atom"])
def test_an_odd_council_code_is_not_found(client, council, address, code):
    assert client.get(address.format(code)).status_code == 404


def test_register_codes_still_find_their_council(client, council):
    assert client.get("/councils/sha/").status_code == 200
    assert client.get("/councils/SHA/")["Location"] == "/councils/sha/"
    assert client.get("/api/v1/councils/sha/").json()["code"] == "SHA"
    assert client.get("/feeds/councils/sha.atom").status_code == 200
    CouncilFactory(name="Newry, Mourne and Down", code="NIR-K")
    assert client.get("/councils/nir-k/").status_code == 200
