"""Written notices (文书) and licences as PDF (ReportLab): the organ's name, a number,
the date, an electronic seal drawn by code and a QR code to the public verification
page. The CID font STSong-Light needs no font file; SHENPI_PDF_FONT may name a
TrueType CJK font to embed instead."""

from __future__ import annotations

import io
import math
from datetime import date

import segno
from django.conf import settings
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

SEAL_RED = Color(0.8, 0.1, 0.1)


def pdf_font() -> str:
    """The CJK font every document is set in (SHENPI_PDF_FONT, or the STSong-Light CID font
    that PDF readers carry), registered once."""
    path = settings.SHENPI_PDF_FONT
    name = "ShenpiCJK" if path else "STSong-Light"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, path) if path else UnicodeCIDFont(name))
    return name


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for char in paragraph:
            if pdfmetrics.stringWidth(line + char, font, size) > width:
                lines.append(line)
                line = char
            else:
                line += char
        lines.append(line)
    return lines


def _seal(pdf: canvas.Canvas, font: str, organ: str, cx: float, cy: float, r: float = 48) -> None:
    """A round red seal: ring, star and the organ's name along the upper arc."""
    pdf.saveState()
    pdf.setStrokeColor(SEAL_RED)
    pdf.setFillColor(SEAL_RED)
    pdf.setLineWidth(2.5)
    pdf.circle(cx, cy, r, stroke=1, fill=0)
    star = []
    for i in range(10):
        radius = 14 if i % 2 == 0 else 5.6
        angle = math.pi / 2 + i * math.pi / 5
        star.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    path = pdf.beginPath()
    path.moveTo(*star[0])
    for point in star[1:]:
        path.lineTo(*point)
    path.close()
    pdf.drawPath(path, stroke=0, fill=1)
    text = organ[:16]
    size = 9 if len(text) > 12 else 10
    pdf.setFont(font, size)
    span = math.radians(220)
    start = math.pi / 2 + span / 2
    for i, char in enumerate(text):
        angle = start - span * (i + 0.5) / len(text)
        x = cx + (r - 12) * math.cos(angle)
        y = cy + (r - 12) * math.sin(angle)
        pdf.saveState()
        pdf.translate(x, y)
        pdf.rotate(math.degrees(angle) - 90)
        pdf.drawCentredString(0, -size / 3, char)
        pdf.restoreState()
    pdf.setFont(font, 7)
    pdf.drawCentredString(cx, cy - 26, "电子印章")
    pdf.restoreState()


def _qr(pdf: canvas.Canvas, url: str, x: float, y: float, size: float = 80) -> None:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=1)
    buffer.seek(0)
    pdf.drawImage(ImageReader(buffer), x, y, width=size, height=size)


def render_document(
    *, title: str, number: str, organ: str, issued: date, addressee: str, body: str, verify_url: str
) -> bytes:
    title, organ, addressee, body = str(title), str(organ), str(addressee), str(body)  # lazy labels
    font = pdf_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(f"{title} {number}")
    pdf.setAuthor(organ)
    width, height = A4
    pdf.setFont(font, 15)
    pdf.drawCentredString(width / 2, height - 60, organ)
    pdf.setFont(font, 20)
    pdf.drawCentredString(width / 2, height - 95, title)
    pdf.setFont(font, 11)
    pdf.drawRightString(width - 60, height - 122, number)
    pdf.setFillColor(black)
    y = height - 160
    pdf.setFont(font, 12)
    pdf.drawString(60, y, f"{addressee}：")
    y -= 26
    for line in _wrap(body, font, 12, width - 140):
        if y < 190:
            pdf.showPage()
            pdf.setFont(font, 12)
            y = height - 70
        pdf.drawString(84 if line else 60, y, line)
        y -= 21
    date_text = f"{issued.year}年{issued.month}月{issued.day}日"
    pdf.drawRightString(width - 70, 150, organ)
    pdf.drawRightString(width - 70, 128, date_text)
    _seal(pdf, font, organ, width - 130, 145)
    _qr(pdf, verify_url, 60, 70)
    pdf.setFont(font, 8)
    pdf.drawString(60, 60, "扫描二维码或访问下列地址核验本文书：")
    pdf.drawString(60, 49, verify_url)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def render_licence(
    *,
    name: str,
    number: str,
    organ: str,
    holder: str,
    holder_code: str,
    scope: str,
    valid_from: date,
    valid_until: date | None,
    issued: date,
    verify_url: str,
) -> bytes:
    name, organ, holder, scope = str(name), str(organ), str(holder), str(scope)
    font = pdf_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(f"{name} {number}")
    width, height = A4
    pdf.setStrokeColor(Color(0.6, 0.45, 0.1))
    pdf.setLineWidth(3)
    pdf.rect(36, 36, width - 72, height - 72)
    pdf.setFont(font, 26)
    pdf.drawCentredString(width / 2, height - 110, name)
    pdf.setFont(font, 12)
    pdf.drawCentredString(width / 2, height - 140, f"编号：{number}")
    rows = [
        ("持证人", holder),
        ("证件号码", holder_code),
        ("许可内容", scope or name),
        (
            "有效期",
            f"{valid_from:%Y年%m月%d日} 至 {valid_until:%Y年%m月%d日}" if valid_until else "长期",
        ),
        ("发证机关", organ),
        ("发证日期", f"{issued:%Y年%m月%d日}"),
    ]
    y = height - 200
    for label, value in rows:
        pdf.setFont(font, 13)
        pdf.drawString(90, y, f"{label}：")
        for i, line in enumerate(_wrap(value, font, 13, width - 260)):
            pdf.drawString(180, y - i * 20, line)
            if i:
                y -= 20
        y -= 36
    _seal(pdf, font, organ, width - 150, 190, r=55)
    _qr(pdf, verify_url, 80, 110, size=100)
    pdf.setFont(font, 9)
    pdf.drawString(80, 96, "扫码核验本证照真伪：")
    pdf.drawString(80, 84, verify_url)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def file_signature(field) -> dict:
    """The electronic signature of a stored notice or licence, checked (common/pdfsigning):
    whether it is signed, valid, by whom and when — what the verification pages show."""
    from shenpi.common import pdfsigning

    if not field:
        return {"signed": False, "valid": False, "signer": "", "signed_at": None, "problem": ""}
    with field.open("rb") as stored:
        verdict = pdfsigning.verify(stored.read())
    return {
        "signed": verdict.signed,
        "valid": verdict.valid,
        "signer": verdict.signer,
        "signed_at": verdict.signed_at,
        "problem": verdict.problem,
    }
