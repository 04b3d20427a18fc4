"""The hostile upload set against the web and the API (issue 29, "keep it found"): each
is refused with a clear Chinese error, nothing is stored, never a 500."""

import io
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shenpi.cases import services
from shenpi.cases.models import CaseMaterial
from shenpi.catalog.demo_forms import application_pdf
from shenpi.catalog.models import Item
from tests.api.test_api import token_for

pytestmark = pytest.mark.django_db


def pdf_with(script_name: bytes) -> bytes:
    """A whole, readable PDF that runs a script on opening (its name escaped or not)."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1);"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    # The escaped name keeps its length's neighbours readable: pypdf recovers the offsets.
    return out.getvalue().replace(b"/JavaScript", b"/" + script_name)


def pdf_with_script_in_object_stream() -> bytes:
    """A whole PDF whose opening script is an object inside a compressed object stream
    (PDF 1.5): no script name stands in the file's bytes."""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}

    def obj(n, body: bytes):
        offsets[n] = len(out)
        out.extend(b"%d 0 obj\n" % n + body + b"\nendobj\n")

    obj(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>")
    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>")
    header, inner = b"4 0 ", b"<< /S /JavaScript /JS (app.alert\\(1\\);) >>"
    packed = zlib.compress(header + inner)
    obj(
        5,
        b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream",
    )
    offsets[6] = len(out)
    rows = [(0, 0, 65535), *((1, offsets[n], 0) for n in (1, 2, 3)), (2, 5, 0)]
    rows += [(1, offsets[5], 0), (1, offsets[6], 0)]
    table = b"".join(
        t.to_bytes(1, "big") + o.to_bytes(4, "big") + g.to_bytes(2, "big") for t, o, g in rows
    )
    out.extend(
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\n"
    )
    out.extend(b"startxref\n%d\n%%%%EOF\n" % offsets[6])
    assert b"JavaScript" not in out
    return bytes(out)


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
        archive.writestr("word/media/bomb.bin", b"\0" * (8 * 1024 * 1024))
    return out.getvalue()


HOSTILE = {
    "a renamed script": ("材料.pdf", b"#!/bin/sh\nrm -rf /\n", "application/pdf"),
    "an executable": ("scan.png", b"MZ" + b"\0" * 200, "image/png"),
    "an SVG with a script": (
        "图.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "image/svg+xml",
    ),
    "an HTML page": ("页面.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
    "a PDF with JavaScript": ("表.pdf", pdf_with(b"JavaScript"), "application/pdf"),
    "a PDF with an escaped JavaScript name": (
        "表.pdf",
        pdf_with(b"J#61vaScript"),
        "application/pdf",
    ),
    "a PDF whose JavaScript name escapes its first letter": (
        "表.pdf",
        pdf_with(b"#4Aav#61Script"),
        "application/pdf",
    ),
    "a PDF whose JavaScript hides in an object stream": (
        "表.pdf",
        pdf_with_script_in_object_stream(),
        "application/pdf",
    ),
    "a zip bomb": (
        "说明.docx",
        zip_bomb(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "an empty file": ("空.pdf", b"", "application/pdf"),
    "a truncated PDF": (
        "半.pdf",
        application_pdf("材料", "x", [("a", "b")], sample=False)[:200],
        "application/pdf",
    ),
}
# Whole files under hostile names: taken, under a safe name of at most 120 characters.
RENAMED = {
    "a traversal name": "../../etc/passwd.pdf",
    "a long Unicode name": "名" * 300 + ".pdf",
}


@pytest.fixture
def draft(demo):
    item = Item.objects.get(code="640100-SCJG-001")
    return services.case_create_draft(actor=demo("zhangsan"), item=item), item


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_the_web_refuses_it_in_chinese(client, demo, draft, kind):
    case, item = draft
    name, data, content_type = HOSTILE[kind]
    client.force_login(demo("zhangsan"))
    client.raise_request_exception = False
    response = client.post(
        reverse("cases:upload", args=[case.pk]),
        {
            "requirement": item.current.materials.first().pk,
            "file": SimpleUploadedFile(name, data, content_type=content_type),
        },
        HTTP_ACCEPT="application/json",
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert 400 <= response.status_code < 500, (kind, response.status_code)
    message = str(response.json())
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), (kind, message)
    assert not CaseMaterial.objects.filter(case=case).exists()


@pytest.mark.parametrize("kind", sorted(RENAMED))
def test_a_hostile_name_is_made_safe(client, demo, draft, kind):
    case, item = draft
    client.force_login(demo("zhangsan"))
    data = application_pdf("材料", "x", [("a", "b")], sample=False)
    client.post(
        reverse("cases:upload", args=[case.pk]),
        {
            "requirement": item.current.materials.first().pk,
            "file": SimpleUploadedFile(RENAMED[kind], data, content_type="application/pdf"),
        },
    )
    material = CaseMaterial.objects.get(case=case)
    assert "/" not in material.name and ".." not in material.name
    assert len(material.name) <= 120 and material.name.endswith(".pdf")


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_the_api_refuses_it_as_a_problem(client, draft, kind):
    case, item = draft
    name, data, content_type = HOSTILE[kind]
    response = client.post(
        f"/api/v1/cases/{case.pk}/materials/",
        {
            "requirement": item.current.materials.first().pk,
            "file": SimpleUploadedFile(name, data, content_type=content_type),
        },
        **token_for(client, "zhangsan"),
    )
    assert response.status_code in (400, 413), (kind, response.status_code)
    assert response["Content-Type"] == "application/problem+json"
    if "JavaScript" in kind:
        assert response.json()["code"] == "file_active_content", response.json()
    assert not CaseMaterial.objects.filter(case=case).exists()


def test_an_oversized_file_is_a_413(client, draft, settings):
    case, item = draft
    settings.SHENPI_MAX_FILE_MB = 1
    big = application_pdf("材料", "x", [("a", "b")], sample=False) + b"%" * (1024 * 1024)
    response = client.post(
        f"/api/v1/cases/{case.pk}/materials/",
        {
            "requirement": item.current.materials.first().pk,
            "file": SimpleUploadedFile("大.pdf", big, content_type="application/pdf"),
        },
        **token_for(client, "zhangsan"),
    )
    assert response.status_code == 413
