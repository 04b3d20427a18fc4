"""Real form files made at seed time: application forms as PDF (ReportLab, the
STSong-Light CID font) and staff lists as XLSX (openpyxl)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"


def _font():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def application_pdf(
    title: str, department: str, fields: list[tuple[str, str]], *, sample: bool
) -> bytes:
    """A one-page application form; the sample has every blank filled in."""
    font = _font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    width, height = A4
    pdf.setTitle(title + ("（示范文本）" if sample else ""))
    pdf.setFont(font, 18)
    pdf.drawCentredString(width / 2, height - 70, title)
    if sample:
        pdf.setFont(font, 11)
        pdf.setFillGray(0.45)
        pdf.drawCentredString(width / 2, height - 92, "示范文本 · 仅供参考")
        pdf.setFillGray(0)
    pdf.setFont(font, 11)
    y = height - 130
    for label, example in fields:
        pdf.rect(60, y - 8, width - 120, 28)
        pdf.drawString(70, y + 2, label)
        pdf.line(200, y - 8, 200, y + 20)
        if sample:
            pdf.drawString(210, y + 2, example)
        y -= 28
    y -= 30
    pdf.drawString(
        60,
        y,
        "申请人承诺：所提交的材料真实、有效，并对申请材料实质内容的真实性负责（《行政许可法》第三十一条）。",
    )
    pdf.drawString(60, y - 40, "申请人（签字或盖章）：" + ("张三" if sample else "____________"))
    pdf.drawString(330, y - 40, "日期：" + ("2026年11月28日" if sample else "______年____月____日"))
    pdf.setFont(font, 9)
    pdf.drawString(60, 50, f"{department} 制 · 本表格免费提供（《行政许可法》第五十八条）")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def staff_list_xlsx(title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "人员名单"
    sheet.append([title])
    sheet.append(["序号", "姓名", "身份证号码", "岗位", "学历", "专业", "健康证明编号"])
    for i in range(1, 6):
        sheet.append([i, "", "", "", "", "", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
