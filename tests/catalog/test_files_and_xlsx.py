import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from shenpi.catalog import services, xlsx
from shenpi.catalog.demo_forms import application_pdf
from shenpi.catalog.models import FormFile, Item
from shenpi.core.errors import InvalidInput, TooLarge

pytestmark = pytest.mark.django_db


def upload(name, data):
    return SimpleUploadedFile(name, data)


class RawUpload(io.BytesIO):
    """An upload whose name was not cleaned by Django's upload handlers (an API client, say)."""

    def __init__(self, name, data):
        super().__init__(data)
        self.name = name
        self.size = len(data)


def test_a_real_pdf_form_is_accepted(demo):
    official = demo("yc_scjg_off1")
    pdf = application_pdf("测试申请书", "银川市市场监督管理局", [("名称", "示例")], sample=False)
    form = services.form_file_upload(
        actor=official,
        department=official.department,
        title="测试申请书",
        kind="template",
        upload=upload("申请书.pdf", pdf),
    )
    assert form.content_type == "application/pdf" and form.size == len(pdf)


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        (
            "virus.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200,
            "file_type",
        ),  # an .exe renamed
        ("image.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "file_type"),  # not a document type
        ("broken.pdf", b"%PDF-1.7\n%garbage that is not a pdf", "file_broken"),
        ("../../etc/passwd.pdf", b"%PDF-1.4", "file_name_path"),
        ("a" * 300 + ".pdf", b"%PDF-1.4", "file_name_too_long"),
        ("empty.pdf", b"", "file_empty"),
    ],
)
def test_bad_form_files_are_refused_and_nothing_is_stored(demo, name, data, code):
    official = demo("yc_scjg_off1")
    before = FormFile.objects.count()
    with pytest.raises(InvalidInput) as exc:
        services.form_file_upload(
            actor=official,
            department=official.department,
            title="表",
            kind="template",
            upload=RawUpload(name, data),
        )
    assert exc.value.code == code
    assert exc.value.message
    assert FormFile.objects.count() == before


def test_a_pdf_whose_first_page_cannot_be_read_is_refused(demo):
    """The PDF is opened to prove it is whole: a first page whose content stream does not
    decode is a broken file, though the header and the page tree are in order."""
    import re

    official = demo("yc_scjg_off1")
    pdf = application_pdf("测试申请书", "银川市市场监督管理局", [("名称", "示例")], sample=False)
    start = re.search(rb"stream\r?\n", pdf).end()
    damaged = pdf[: start + 10] + b"\x00damaged!!" * 3 + pdf[start + 40 :]
    with pytest.raises(InvalidInput) as exc:
        services.form_file_upload(
            actor=official,
            department=official.department,
            title="表",
            kind="template",
            upload=RawUpload("申请书.pdf", damaged),
        )
    assert exc.value.code == "file_broken"


def test_an_oversized_form_is_refused(demo, settings):
    official = demo("yc_scjg_off1")
    from shenpi.catalog import constants

    big = b"%PDF-1.4\n" + b"0" * (constants.FORM_FILE_MAX_BYTES + 1)
    with pytest.raises(TooLarge):
        services.form_file_upload(
            actor=official,
            department=official.department,
            title="表",
            kind="template",
            upload=upload("big.pdf", big),
        )


def test_export_then_import_round_trip(demo):
    department = demo("yc_scjg_off1").department
    content = xlsx.export_items(department)
    book = load_workbook(io.BytesIO(content))
    assert book["事项"]["A2"].value == "640100-SCJG-001"
    # Change the promised days in the sheet and import: a new draft of the item.
    book["事项"]["F2"] = 7
    out = io.BytesIO()
    book.save(out)
    report = xlsx.import_items(
        actor=demo("yc_scjg_off1"),
        department=department,
        upload=upload("items.xlsx", out.getvalue()),
    )
    assert report == {"created": 0, "updated": 1}
    draft = Item.objects.get(code="640100-SCJG-001").versions.get(status="draft")
    assert draft.promised_days == 7
    assert draft.materials.count() == 6


def test_import_with_one_bad_row_imports_nothing(demo):
    department = demo("yc_scjg_off1").department
    book = load_workbook(io.BytesIO(xlsx.export_items(department)))
    sheet = book["事项"]
    sheet.append(
        [
            "640100-SCJG-099",
            "新事项",
            "承诺件",
            "单一部门办理",
            20,
            30,
            10,
            "依据",
            "条件",
            "程序",
            "地点",
            "时间",
            "电话",
            "12345",
            "科室",
        ]
    )  # promised 30 > statutory 20
    book["事项"]["F2"] = 7
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(InvalidInput) as exc:
        xlsx.import_items(
            actor=demo("yc_scjg_off1"),
            department=department,
            upload=upload("items.xlsx", out.getvalue()),
        )
    assert any("TL-01" in e for e in exc.value.errors["导入"]), exc.value.errors
    assert not Item.objects.filter(code="640100-SCJG-099").exists()
    assert not Item.objects.get(code="640100-SCJG-001").versions.filter(status="draft").exists()


def test_import_refuses_a_file_that_is_not_xlsx(demo):
    department = demo("yc_scjg_off1").department
    with pytest.raises(InvalidInput):
        xlsx.import_items(
            actor=demo("yc_scjg_off1"), department=department, upload=upload("x.xlsx", b"hello")
        )
