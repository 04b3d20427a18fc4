"""本部门统计 as a spreadsheet (openpyxl): the same rows and columns as the page, the
period and the department in the header."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .selectors import COLUMNS


def workbook(title: str, period_label: str, departments, items, stuck=(), blockers=()) -> bytes:
    """`departments`: [(department, Figures)]; `items`: [(item, Figures)] of the chosen one;
    `stuck` and `blockers` as selectors.stuck_steps and selectors.blockers give them."""
    book = Workbook()
    sheet = book.active
    sheet.title = "按事项"
    sheet.append([title])
    sheet.append([f"统计期间：{period_label}"])
    sheet.append(["事项编码", "事项名称", *(heading for _, heading in COLUMNS)])
    for item, figures in items:
        sheet.append([item.code, item.label, *_cells(figures)])
    for cell in (sheet["A1"], *sheet[3]):
        cell.font = Font(bold=True)
    if len(departments) > 1:
        side = book.create_sheet("按部门")
        side.append([f"统计期间：{period_label}"])
        side.append(["部门", "区划", *(heading for _, heading in COLUMNS)])
        for department, figures in departments:
            side.append([department.name, department.division.name, *_cells(figures)])
        for cell in side[2]:
            cell.font = Font(bold=True)
    steps = book.create_sheet("环节用时")
    steps.append([f"统计期间：{period_label}"])
    steps.append(["事项", "环节", "办完", "中位用时", "90%用时", "占办件用时（%）"])
    for r in stuck:
        steps.append(
            [r["item_label"], r["step_name"], r["done"], r["median"], r["p90"], r["share"]]
        )
    late = book.create_sheet("逾期环节")
    late.append(["承办人", "部门", "超环节期限", "超承诺期限", "超法定期限"])
    for b in blockers:
        late.append([b["holder"], b["department"].name, b["step"], b["promised"], b["statutory"]])
    for cell in (*steps[2], *late[1]):
        cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cells(figures) -> list:
    return ["" if value is None else value for value in figures.row()]
