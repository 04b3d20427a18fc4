import pytest

from shenpi.catalog.models import Item


@pytest.fixture
def food(db):
    """The food business licence of Yinchuan (demo: version 1 superseded, version 2 in force)."""
    return Item.objects.get(code="640100-SCJG-001")


def version_data(version):
    from shenpi.catalog import services

    data = {k: getattr(version, k) for k in services.VERSION_FIELDS}
    return (
        data,
        list(version.materials.values(*services.MATERIAL_FIELDS)),
        list(version.fees.values(*services.FEE_FIELDS)),
    )
