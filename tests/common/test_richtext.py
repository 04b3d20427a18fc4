"""Answers are rich text limited to safe HTML (issue 22)."""

from shenpi.common.richtext import plain_text, safe_html


def test_markup_that_runs_loads_or_styles_is_dropped():
    html = safe_html(
        '<p style="color:red" onclick="x()">见<a href="/guide/640100-SCJG-001/">办事指南</a>'
        "<script>alert(1)</script><img src=x onerror=alert(1)>"
        '<a href="javascript:alert(1)">点此</a><iframe src="//evil"></iframe></p>'
    )
    assert html == (
        '<p>见<a href="/guide/640100-SCJG-001/" rel="noopener noreferrer">办事指南</a>'
        '<a rel="noopener noreferrer">点此</a></p>'
    )


def test_plain_text_becomes_paragraphs_with_its_addresses_linked():
    html = safe_html("第一行\n第二行 https://www.gov.cn/zhengce/\n\n1 < 2")
    assert html.startswith('<p>第一行<br>第二行 <a href="https://www.gov.cn/zhengce/"')
    assert "<p>1 &lt; 2</p>" in html
    assert plain_text(html) == "第一行\n第二行 https://www.gov.cn/zhengce/\n\n1 < 2"


def test_inline_marks_keep_the_lines():
    assert safe_html("一<b>二</b>\n三") == "<p>一<b>二</b><br>三</p>"
