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


def decision_workbook(title: str, period_label: str, departments, context: dict) -> bytes:
    """决策辅助's tables: the departments for the period, the months' trend, the
    forecast, the growing items and the staffing hints."""
    book = Workbook()
    sheet = book.active
    sheet.title = "各部门"
    sheet.append([title])
    sheet.append([f"统计期间：{period_label}"])
    sheet.append(["部门", "区划", *(heading for _, heading in COLUMNS)])
    for department, figures in departments:
        sheet.append([department.name, department.division.name, *_cells(figures)])
    trend = book.create_sheet("逐月趋势")
    trend.append(["月份", "收件", "上年同月", "办结", "上年同月"])
    for m in context["months"]:
        trend.append(
            [m["label"], m["received"], m["received_before"], m["decided"], m["decided_before"]]
        )
    ahead = book.create_sheet("申请量预测")
    ahead.append(["部门", "事项", "下月预计", "下限", "上限", "下季度预计", "下限", "上限"])
    for r in context["forecast"]["rows"]:
        month, quarter = r.get("month"), r.get("quarter")
        ahead.append(
            [r["department"].name, r["label"]]
            + ([month.expected, month.low, month.high] if month else ["", "", ""])
            + ([quarter.expected, quarter.low, quarter.high] if quarter else ["", "", ""])
        )
    growing = book.create_sheet("增长最快的事项")
    growing.append(["事项", "部门", "近三个月", "上年同期", "增长（%）"])
    for g in context["growing"]:
        growing.append([g["label"], g["item"].department.name, g["now"], g["before"], g["growth"]])
    staffing = book.create_sheet("人员配置提示")
    staffing.append(
        ["部门", "工作人员", "日均决定", "人均日决定", "承诺期限内办结率（%）", "最好月份日均",
         "下月日均所需", "预计超出处理能力"]
    )  # fmt: skip
    for s in context["staffing"]:
        staffing.append(
            [s["department"].name, s["officials"], s["decided_per_day"], s["per_official"],
             s["on_time"], s["best_per_day"], s["needed_per_day"], "是" if s["at_risk"] else ""]
        )  # fmt: skip
    for ws in book.worksheets:
        for cell in ws[3 if ws is sheet else 1]:
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
