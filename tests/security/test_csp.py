"""Every page under a Content-Security-Policy without 'unsafe-inline', and an applicant's
upload served as an attachment (issue 29, 13). The browser journeys fail on any violation
the browser reports (tests/e2e/conftest.py)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from shenpi.cases import services
from shenpi.catalog.models import Item
from tests.cases.conftest import complete_draft

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "shenpi"


def test_pages_carry_the_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy


def test_no_template_has_inline_script_style_or_handlers():
    offenders = []
    for template in TEMPLATES.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(
            r"""\sstyle=["']|\son[a-z]+=["']|<style""", text
        ):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []


def test_the_api_docs_start_from_a_file(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and "<style" not in html


def test_an_uploaded_material_is_served_as_an_attachment(client, demo):
    item = Item.objects.get(code="640100-SCJG-001")
    draft = complete_draft(services, demo("zhangsan"), item)
    material = draft.materials.first()
    client.force_login(demo("zhangsan"))
    response = client.get(reverse("cases:material", args=[material.pk]))
    assert response["Content-Disposition"].startswith("attachment")
