"""Every write has its audit record (issue 29, 18): reusing a licence as a material, and
registering a walk-in applicant at the window."""

import pytest
from django.urls import reverse

from shenpi.accounts.models import User
from shenpi.audit.models import AuditRecord
from shenpi.cases import services
from shenpi.catalog.models import Item
from shenpi.common import personal
from tests.cases.test_licences import granted

pytestmark = pytest.mark.django_db


def test_reusing_a_licence_as_a_material_is_audited(demo):
    licence = granted(demo)  # 李四's
    item = Item.objects.get(code="640100-SCJG-001")
    draft = services.case_create_draft(actor=demo("lisi"), item=item)
    requirement = item.current.materials.first()
    services.case_reuse_licence(
        actor=demo("lisi"), case=draft, requirement_id=requirement.pk, licence=licence
    )
    record = AuditRecord.objects.get(stream=f"case:{draft.pk}", action="case.material")
    assert record.detail["from_licence"] == licence.number and record.actor == demo("lisi")


def test_registering_a_walk_in_applicant_is_audited_and_keeps_what_was_typed(client, demo):
    clerk = demo("clerk_yc_scjg")
    client.force_login(clerk)
    code = "64010419900307121X"
    bad = client.post(
        reverse("cases:window") + f"?code={code}",
        {"action": "register", "code": code, "name": "王五", "mobile": "123"},
    ).content.decode()
    assert "手机号码" in bad and 'value="王五"' in bad
    client.post(
        reverse("cases:window") + f"?code={code}",
        {"action": "register", "code": code, "name": "王五", "mobile": "13895000009"},
    )
    person = User.objects.get(id_number_digest=personal.digest(code))
    record = AuditRecord.objects.get(
        stream=f"user:{person.public_id}", action="account.register_at_window"
    )
    assert record.actor == clerk
