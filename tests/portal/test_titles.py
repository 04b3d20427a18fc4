"""A page's <title> is text: a block left open there once put the official's whole task
table into the inbox's title (issue 20, defect 10)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "shenpi"


def test_no_template_puts_markup_in_a_title_block():
    offenders = [
        str(template.relative_to(ROOT))
        for template in ROOT.rglob("templates/**/*.html")
        for block in re.findall(
            r"{% block title %}(.*?){% endblock", template.read_text(encoding="utf-8"), flags=re.S
        )
        if "<" in block or "\n" in block
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_inbox_title_is_its_name(client, demo):
    client.force_login(demo("yc_scjg_off1"))
    html = client.get("/desk/intake/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, flags=re.S).group(1)
    assert title.startswith("待办办件 · ") and "<" not in title and "审查任务" not in title
