"""Zip bombs are refused by the archive's directory, before anything is inflated, and
anonymous complaint filing is limited per address (issue 29, 7)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from shenpi.accounts.models import Department
from shenpi.cases.constants import MATERIAL_FILE_TYPES
from shenpi.common.files import check_upload
from shenpi.core.errors import InvalidInput, TooMany
from shenpi.supervision import feedback

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def check(data: bytes):
    return check_upload(
        SimpleUploadedFile("材料.docx", data, content_type=DOCX),
        allowed=MATERIAL_FILE_TYPES,
        max_bytes=20 * 1024 * 1024,
    )


def test_a_plain_document_passes():
    assert check(docx({"word/styles.xml": b"<w:styles/>" * 100})).extension == "docx"


@pytest.mark.parametrize(
    "entries",
    [
        {"word/media/bomb.bin": b"\0" * (8 * 1024 * 1024)},  # inflates 8 MB from a few KB
        {f"word/part{i}.xml": b"x" for i in range(1001)},  # too many entries
    ],
    ids=["ratio", "entries"],
)
def test_a_bomb_is_refused_by_its_directory(entries):
    with pytest.raises(InvalidInput) as exc:
        check(docx(entries))
    assert exc.value.code == "file_archive_suspicious"


def test_overlapping_entries_are_refused():
    data = bytearray(docx({"word/a.xml": b"<a/>" * 50, "word/b.xml": b"<b/>" * 50}))
    central = data.rfind(b"PK\x01\x02")  # the last entry's central directory record
    data[central + 42 : central + 46] = (0).to_bytes(4, "little")  # points at the first
    with pytest.raises(InvalidInput) as exc:
        check(bytes(data))
    assert exc.value.code == "file_archive_suspicious"


@pytest.mark.django_db
def test_anonymous_filing_is_limited_per_address():
    request = RequestFactory().post("/complain/", REMOTE_ADDR="203.0.113.9")
    department = Department.objects.get(code="yc-scjg")
    for _ in range(feedback.ANONYMOUS_FILINGS):
        feedback.complaint_file(
            actor=None, department=department, subject="s", body="b", request=request
        )
    with pytest.raises(TooMany):
        feedback.complaint_file(
            actor=None, department=department, subject="s", body="b", request=request
        )
    other = RequestFactory().post("/complain/", REMOTE_ADDR="203.0.113.10")
    feedback.complaint_file(actor=None, department=department, subject="s", body="b", request=other)
