import pytest

from shenpi.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from shenpi.publishing import services
from shenpi.publishing.models import Publication

pytestmark = pytest.mark.django_db


def test_nothing_is_public_before_the_head_approves(client, demo):
    p = services.publication_draft(
        actor=demo("nx_scjg_off1"),
        kind="notice",
        title="关于调整窗口时间的通知",
        body="自12月1日起……",
    )
    services.publication_submit(actor=demo("nx_scjg_off1"), publication=p)
    assert client.get(f"/policies/{p.pk}/").status_code == 404
    assert "关于调整窗口时间的通知" not in client.get("/api/v1/publications/").content.decode()
    with pytest.raises(NotAllowed):
        services.publication_review(actor=demo("nx_scjg_off2"), publication=p, approve=True)
    with pytest.raises(NotFound):  # another department's head cannot see it
        services.publication_review(actor=demo("nx_wjw_head"), publication=p, approve=True)
    services.publication_review(actor=demo("nx_scjg_head"), publication=p, approve=True)
    html = client.get(f"/policies/{p.pk}/").content.decode()
    assert "宁夏回族自治区市场监督管理厅" in html


def test_withdrawing_leaves_a_record(client, demo):
    p = Publication.objects.filter(status="published", department__code="yc-scjg").first()
    with pytest.raises(InvalidInput):
        services.publication_withdraw(actor=demo("yc_scjg_head"), publication=p, reason="")
    services.publication_withdraw(actor=demo("yc_scjg_head"), publication=p, reason="政策已调整")
    p.refresh_from_db()
    assert p.status == "withdrawn" and p.withdraw_reason == "政策已调整" and p.withdrawn_at
    assert client.get(f"/policies/{p.pk}/").status_code == 404
    with pytest.raises(Conflict):
        services.publication_withdraw(actor=demo("yc_scjg_head"), publication=p, reason="again")


def test_policies_page_lists_published_pieces(client):
    html = client.get("/policies/").content.decode()
    assert "中华人民共和国行政许可法" in html
