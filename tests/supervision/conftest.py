import pytest

from shenpi.catalog.models import Item


@pytest.fixture
def food(db):
    return Item.objects.get(code="640100-SCJG-001")
