import pytest

from shenpi.catalog.models import Item
from shenpi.exchange.models import Subscriber
from tests.api.test_api import make_client
from tests.cases.conftest import FOOD_FORM, complete_draft

from .receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as r:
        yield r


@pytest.fixture
def received(demo):
    """A case received by 银川市市场监管局 (division 640100)."""
    from shenpi.cases import services

    def make():
        item = Item.objects.get(code="640100-SCJG-001")
        case = complete_draft(services, demo("zhangsan"), item)
        return services.case_submit(
            actor=demo("zhangsan"), case=case, declaration=True, form_data=FOOD_FORM
        )

    return make


@pytest.fixture
def subscriber(receiver):
    def make(*, department=None, division=None, url=None, **fields):
        client, auth = make_client(
            department=department, division=division, actions=["events.read"]
        )
        sub = Subscriber.objects.create(
            client=client, url=receiver.url if url is None else url, **fields
        )
        return sub, auth

    return make
