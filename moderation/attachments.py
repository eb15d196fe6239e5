"""Documents behind a case study: what they are is read from their content,
never from their names, and they are kept through Django's storage API."""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from casestudies.models import CaseStudy
from moderation.models import Attachment

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, Excel 97-2003
ZIP = b"PK\x03\x04"  # Word, Excel (Office Open XML) and OpenDocument

OPENDOCUMENT = {
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation",
}
OOXML = {
    "word/": ("Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": ("Excel spreadsheet", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
ALLOWED = "a PDF, Word, Excel or OpenDocument file"


@dataclass(frozen=True)
class FileType:
    kind: str
    content_type: str


def _ole2(head: bytes) -> FileType | None:
    # The directory of an OLE2 file names its streams in UTF-16.
    if "WordDocument".encode("utf-16-le") in head:
        return FileType("Word document (97-2003)", "application/msword")
    if "Workbook".encode("utf-16-le") in head or "Book".encode("utf-16-le") in head:
        return FileType("Excel spreadsheet (97-2003)", "application/vnd.ms-excel")
    return None


def _zip(upload) -> FileType | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).decode("ascii", "replace").strip()
                if mimetype in OPENDOCUMENT:
                    return FileType(OPENDOCUMENT[mimetype], mimetype)
            if "[Content_Types].xml" in names:
                for prefix, (kind, content_type) in OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return FileType(kind, content_type)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def sniff(upload) -> FileType | None:
    """What the file's content says it is, if it is a type we accept."""
    upload.seek(0)
    head = upload.read(8)
    try:
        if head.startswith(b"%PDF-"):
            return FileType("PDF", "application/pdf")
        if head == OLE2:
            upload.seek(0)
            return _ole2(upload.read(1024 * 1024))
        if head.startswith(ZIP):
            upload.seek(0)
            return _zip(upload)
        return None
    finally:
        upload.seek(0)


class AttachmentForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        label="Title of the document",
        help_text="For example, “Business case, 2019”.",
        error_messages={"required": "Enter a title for the document"},
    )
    file = forms.FileField(
        label="Upload a file",
        widget=forms.FileInput(attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.odt,.ods,.odp"}),
        help_text=f"PDF, Word, Excel or OpenDocument, at most {settings.ATTACHMENT_MAX_MB} MB.",
        error_messages={"required": "Choose a file to upload", "empty": "The file you chose is empty"},
    )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > settings.ATTACHMENT_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(f"The file must be smaller than {settings.ATTACHMENT_MAX_MB} MB")
        file_type = sniff(upload)
        if file_type is None:
            raise forms.ValidationError(
                f"The file must be {ALLOWED}. This one is not, whatever its name says."
            )
        upload.file_type = file_type
        return upload


def attachment_add(*, study: CaseStudy, user, title: str, file: UploadedFile) -> Attachment:
    # Keep only the last part of the name the browser sent, without control characters.
    name = "".join(ch for ch in PurePath(file.name.replace("\\", "/")).name if ch.isprintable())[:200]
    with transaction.atomic():
        attachment = Attachment(
            case_study=study,
            title=title,
            filename=name or "document",
            kind=file.file_type.kind,
            content_type=file.file_type.content_type,
            size=file.size,
            uploaded_by=user,
        )
        attachment.file.save(name or "document", file, save=False)
        attachment.save()
    return attachment
