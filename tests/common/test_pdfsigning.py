"""Organs' electronic signatures on notices and licences (issue 25): signed with a key the
platform's authority issued; a change after signing, an addition, or another authority's
certificate is caught; the verification pages and API say who signed and when."""

import io

import pytest
from django.test import override_settings
from reportlab.pdfgen import canvas

from shenpi.common import pdfsigning


def a_pdf(text="准予行政许可决定书") -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pageCompression=0)
    pdf.drawString(100, 700, text)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def signed(pdf=None, organ=("yc-scjg", "银川市市场监督管理局")) -> bytes:
    return pdfsigning.sign(pdf or a_pdf(), organ_code=organ[0], organ_name=organ[1], reason="测试")


def test_a_signed_pdf_says_who_signed_it_and_when():
    verdict = pdfsigning.verify(signed())
    assert verdict.signed and verdict.valid and not verdict.problem
    assert verdict.signer == "银川市市场监督管理局" and verdict.signed_at is not None


def test_a_byte_changed_after_signing_is_caught():
    data = bytearray(signed(a_pdf("AAAA-准予")))
    at = data.find(b"AAAA")
    assert at > 0
    data[at] = ord("B")
    verdict = pdfsigning.verify(bytes(data))
    assert verdict.signed and not verdict.valid and "改动" in verdict.problem


def test_content_appended_after_signing_is_caught():
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed()))
    writer.root["/PageMode"] = writer.root.get("/PageMode", "/UseNone")
    from pyhanko.pdf_utils.generic import NameObject

    writer.root[NameObject("/PageMode")] = NameObject("/UseOutlines")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    verdict = pdfsigning.verify(out.getvalue())
    assert not verdict.valid


def test_another_authoritys_certificate_is_not_trusted(tmp_path):
    pdfsigning._backend.cache_clear()
    try:
        with override_settings(SHENPI_SIGNING_DIR=str(tmp_path)):
            foreign = signed()
    finally:
        pdfsigning._backend.cache_clear()
    verdict = pdfsigning.verify(foreign)
    assert verdict.signed and not verdict.valid and "不是本平台签发" in verdict.problem


def test_an_unsigned_or_broken_file_is_said_to_be_so():
    assert not pdfsigning.verify(a_pdf()).signed
    assert not pdfsigning.verify(b"not a pdf").signed


@pytest.mark.django_db
def test_a_licence_is_signed_by_its_organ_and_its_page_and_api_say_so(client, demo):
    from shenpi.cases import services
    from tests.cases.test_numbering import ready_to_decide

    case = services.case_decide(
        actor=demo("yc_scjg_head"), case=ready_to_decide(demo), outcome="granted"
    )
    licence = case.issued_licence
    with licence.file.open("rb") as stored:
        verdict = pdfsigning.verify(stored.read())
    assert verdict.valid and verdict.signer == licence.department.name
    page = client.get(f"/verify/licence/{licence.verification_code}/").content.decode()
    assert "电子签名有效" in page and licence.department.name in page
    answer = client.get(f"/api/v1/licences/verify/?code={licence.verification_code}").json()
    assert answer["signature"]["valid"] is True
    assert answer["signature"]["signer"] == licence.department.name
    notice = case.notices.get(kind="grant")
    assert "电子签名有效" in client.get(f"/verify/notice/{notice.pk}/").content.decode()


def test_it_signs_and_verifies_from_inside_a_running_event_loop():
    """pyHanko runs its own loop; a caller already in one (a browser test, an async view)
    must still sign."""
    import asyncio
    import threading

    async def inside():
        return pdfsigning.verify(signed())

    # A thread of its own, so that no loop of the suite's (a browser test's) is in the way.
    verdicts = []
    thread = threading.Thread(target=lambda: verdicts.append(asyncio.run(inside())))
    thread.start()
    thread.join()
    assert verdicts and verdicts[0].valid
