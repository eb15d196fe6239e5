"""With MEDIA_S3_* set, uploaded documents go through the storage API to an
S3-compatible store (django-storages), here moto's S3 server on loopback. The
objects are private, and people reach them only through the permission-checking
download view, never by the store's own address."""

import json

import boto3
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from moto.server import ThreadedMotoServer

from councils.models import Membership, MembershipStatus
from moderation.models import Attachment
from tests.factories import CaseStudyFactory, CouncilFactory
from tests.helpers import run_in_production
from tests.redis_server import free_port

BUCKET = "showcase-documents"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
CREDENTIALS = {"MEDIA_S3_ACCESS_KEY_ID": "testing", "MEDIA_S3_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint):
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-west-2",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def storages_from_settings(tmp_path, **env: str) -> dict:
    """STORAGES as showcase/settings.py builds it from the environment."""
    script = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES['default']))"
    done = run_in_production(f"import django; django.setup(); {script}", tmp_path, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def s3_media(settings, tmp_path, s3_endpoint, bucket):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storages_from_settings(
            tmp_path,
            MEDIA_S3_BUCKET=BUCKET,
            MEDIA_S3_ENDPOINT_URL=s3_endpoint,
            MEDIA_S3_REGION="eu-west-2",
            MEDIA_S3_PREFIX="documents",
            **CREDENTIALS,
        ),
    }
    return bucket


@pytest.fixture
def draft(db):
    council = CouncilFactory()
    officer = User.objects.create(username="jo@example.gov.uk", email="jo@example.gov.uk")
    Membership.objects.create(user=officer, council=council, status=MembershipStatus.CONFIRMED)
    study = CaseStudyFactory(lead=council, created_by=officer, publication_state="draft", published_at=None)
    study.officer = officer
    return study


def upload(client, study) -> None:
    response = client.post(
        reverse("submissions:attachment-upload", args=[study.pk]),
        {
            "title": "Business case",
            "file": SimpleUploadedFile("case.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code in (200, 302)


def test_without_media_s3_settings_documents_stay_on_local_disk(tmp_path):
    assert storages_from_settings(tmp_path)["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_an_uploaded_document_is_kept_in_the_bucket(client, draft, s3_media):
    client.force_login(draft.officer)
    upload(client, draft)

    keys = [item["Key"] for item in s3_media.list_objects_v2(Bucket=BUCKET).get("Contents", [])]

    assert keys == [f"documents/{Attachment.objects.get().file.name}"]


def test_documents_in_the_bucket_are_private(client, draft, s3_media):
    client.force_login(draft.officer)
    upload(client, draft)
    key = s3_media.list_objects_v2(Bucket=BUCKET)["Contents"][0]["Key"]

    grants = s3_media.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]

    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"].get("Type") == "CanonicalUser" for grant in grants)


def test_a_drafts_document_comes_from_the_bucket_only_through_the_permission_check(client, draft, s3_media):
    client.force_login(draft.officer)
    upload(client, draft)
    address = Attachment.objects.get().get_absolute_url()

    own = client.get(address)
    client.logout()
    stranger = client.get(address)

    assert (own.status_code, b"".join(own.streaming_content)) == (200, PDF)
    assert stranger.status_code == 404


def test_a_published_page_links_to_the_download_view_never_to_the_bucket(
    client, draft, s3_media, s3_endpoint
):
    client.force_login(draft.officer)
    upload(client, draft)
    client.logout()
    draft.publication_state = "published"
    draft.published_at = draft.created_at
    draft.save()

    page = client.get(draft.get_absolute_url()).content.decode()

    assert Attachment.objects.get().get_absolute_url() in page
    assert s3_endpoint not in page and BUCKET not in page
