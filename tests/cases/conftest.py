import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shenpi.catalog.demo_forms import application_pdf
from shenpi.catalog.models import Item


def pdf_upload(name="材料.pdf"):
    return SimpleUploadedFile(name, application_pdf("材料", "测试", [("a", "b")], sample=True))


def png_upload(name="scan.png"):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def food(db):
    return Item.objects.get(code="640100-SCJG-001")


FOOD_FORM = {
    "applicant_name": "张三餐饮",
    "contact": "张三",
    "phone": "13895000001",
    "premises": "银川市金凤区",
    "business_type": "餐饮服务经营者",
    "scope": "热食类食品制售",
    "area": "80",
}


def complete_draft(services, actor, item, *, skip=(), applicant=None, **kwargs):
    case = services.case_create_draft(actor=actor, item=item, applicant=applicant, **kwargs)
    for requirement in item.current.materials.all():
        if requirement.required and requirement.name not in skip:
            services.case_add_material(
                actor=actor, case=case, requirement_id=requirement.pk, upload=pdf_upload()
            )
    return case
