"""Business cases and evaluations: types read from content, size limited, kept
through the storage API, always downloaded, and private while the study is."""

import io
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from councils.models import Membership, MembershipStatus
from moderation.models import Attachment
from tests.factories import CaseStudyFactory, CouncilFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODS = zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "WordDocument".encode("utf-16-le") + b"\0" * 100


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def draft(db):
    council = CouncilFactory()
    officer = User.objects.create(username="jo@example.gov.uk", email="jo@example.gov.uk")
    Membership.objects.create(user=officer, council=council, status=MembershipStatus.CONFIRMED)
    study = CaseStudyFactory(lead=council, created_by=officer, publication_state="draft", published_at=None)
    study.officer = officer
    return study


def upload(client, study, name, content, title="Business case"):
    return client.post(
        reverse("submissions:attachment-upload", args=[study.pk]),
        {"title": title, "file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
    )


@pytest.mark.parametrize(
    ("name", "content", "kind", "content_type"),
    [
        ("case.pdf", PDF, "PDF", "application/pdf"),
        ("evaluation.docx", DOCX, "Word document", "application/vnd.openxmlformats-officedocument"),
        (
            "costs.xlsx",
            XLSX,
            "Excel spreadsheet",
            "application/vnd.openxmlformats-officedocument.spreadsheetml",
        ),
        ("costs.ods", ODS, "OpenDocument spreadsheet", "application/vnd.oasis.opendocument.spreadsheet"),
        ("old.doc", OLE_DOC, "Word document (97-2003)", "application/msword"),
        ("misnamed.txt", PDF, "PDF", "application/pdf"),  # the content decides, not the name
    ],
)
def test_accepted_types_are_recognised_from_their_content(client, draft, name, content, kind, content_type):
    client.force_login(draft.officer)

    response = upload(client, draft, name, content)

    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.kind == kind and attachment.content_type.startswith(content_type)
    assert attachment.filename == name and attachment.size == len(content)
    assert attachment.file.read() == content  # kept through the storage API
    assert name not in attachment.file.name  # stored under a name of ours


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"MZ\x90\x00" + b"\0" * 100),  # a Windows program called .pdf
        ("report.docx", zipped({"readme.txt": b"hello"})),  # a zip that is not a document
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("broken.docx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_other_content_is_refused_whatever_its_name(client, draft, name, content):
    client.force_login(draft.officer)

    response = upload(client, draft, name, content)

    assert response.status_code == 400
    assert "must be a PDF, Word, Excel or OpenDocument file" in response.content.decode()
    assert not Attachment.objects.exists()


def test_files_over_10_mb_are_refused(client, draft):
    client.force_login(draft.officer)

    response = upload(client, draft, "big.pdf", PDF + b"0" * (10 * 1024 * 1024))

    assert response.status_code == 400
    assert "smaller than 10 MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_drafts_documents_are_private_and_always_downloaded(client, draft):
    client.force_login(draft.officer)
    upload(client, draft, "Business case 2019.pdf", PDF)
    attachment = Attachment.objects.get()

    own = client.get(attachment.get_absolute_url())
    assert own.status_code == 200
    assert own["Content-Disposition"].startswith("attachment;")
    assert "Business case 2019.pdf" in own["Content-Disposition"]
    assert own["Content-Type"] == "application/pdf"
    assert b"".join(own.streaming_content) == PDF

    client.logout()
    assert client.get(attachment.get_absolute_url()).status_code == 404
    stranger = User.objects.create(username="x@else.gov.uk")
    client.force_login(stranger)
    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert upload(client, draft, "more.pdf", PDF).status_code == 404


def test_a_published_case_study_lists_its_documents_for_everyone(client, draft):
    client.force_login(draft.officer)
    upload(client, draft, "evaluation.pdf", PDF, title="Independent evaluation")
    client.logout()
    draft.publication_state = "published"
    draft.published_at = draft.created_at
    draft.save()

    page = client.get(draft.get_absolute_url()).content.decode()

    assert "Independent evaluation" in page and "PDF" in page
    assert client.get(Attachment.objects.get().get_absolute_url()).status_code == 200
