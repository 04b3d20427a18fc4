"""Ratings (好差评) whose loop closes (issue 20, defect 8): only the applicant rates — at
the window on the window's own device, recorded as channel `window` — a bad review's
follow-up deadline is watched, and the applicant confirms the rectification."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from shenpi.audit.models import AuditRecord
from shenpi.core.errors import Conflict, NotFound
from shenpi.notify.models import Message
from shenpi.supervision import feedback
from tests.cases.test_licences import granted

pytestmark = pytest.mark.django_db

BAD = {"overall": 2, "efficiency": 1, "guide_accuracy": 3, "convenience": 3}


def test_a_clerk_cannot_rate_in_the_applicants_name(client, demo):
    case = granted(demo).case  # closed at the Xingqing window for 李四
    with pytest.raises(NotFound):
        feedback.case_rate(actor=demo("clerk_xq_scjg"), case=case, **BAD)
    client.force_login(demo("clerk_xq_scjg"))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="rating-form"' not in page
    assert "打开窗口评价器" in page
    client.post(reverse("supervision:case_feedback", args=[case.pk]), {"action": "rate", **BAD})
    assert not hasattr(type(case).objects.get(pk=case.pk), "rating")


def test_the_applicant_rates_on_the_windows_device_as_channel_window(client, demo):
    case = granted(demo).case
    client.force_login(demo("clerk_xq_scjg"))
    opened = client.post(
        reverse("supervision:case_feedback", args=[case.pk]), {"action": "window_rating"}
    )
    device = opened["Location"]
    assert device.startswith("/rate/")
    client.logout()  # the device needs no one's session: the token is for this case only
    form = client.get(device).content.decode()
    assert case.number in form and case.applicant_code not in form
    client.post(device, {**{k: str(v) for k, v in BAD.items()}, "comment": "等候太久"})
    case.refresh_from_db()
    rating = case.rating
    assert rating.channel == "window" and rating.rated_by == demo("lisi") and rating.is_bad
    record = AuditRecord.objects.filter(stream=f"case:{case.pk}", action="case.rate").get()
    assert "窗口评价器" in record.actor_label
    # Once only; a forged token is refused.
    again = client.post(device, {k: "5" for k in BAD}).content.decode()
    assert "感谢您的评价" in again and case.rating.overall == 2
    assert client.get("/rate/forged-token/").status_code == 404


def test_a_stale_device_token_is_refused(client, demo):
    case = granted(demo).case
    token = feedback.window_rating_open(actor=demo("clerk_xq_scjg"), case=case)
    from django.utils import timezone

    later = timezone.now() + timedelta(minutes=31)
    with time_machine.travel(later, tick=False), pytest.raises(NotFound):
        feedback.window_rating_record(token=token, **BAD)


def test_a_follow_up_past_its_deadline_is_warned_once(demo):
    case = granted(demo).case
    rating = feedback.case_rate(actor=demo("lisi"), case=case, **BAD)
    late = rating.follow_up_due + timedelta(days=1)
    with time_machine.travel(f"{late.isoformat()} 09:00 +0800", tick=False):
        assert feedback.ratings_watch() == 1
        assert feedback.ratings_watch() == 0
    titles = Message.objects.filter(title__startswith="差评整改已逾期").values_list(
        "user__username", flat=True
    )
    assert "xq_scjg_head" in titles and "yc_jc_sup" in titles


def test_the_follow_up_deadline_itself_is_not_late(demo):
    case = granted(demo).case
    rating = feedback.case_rate(actor=demo("lisi"), case=case, **BAD)
    with time_machine.travel(f"{rating.follow_up_due.isoformat()} 20:00 +0800", tick=False):
        assert feedback.ratings_watch() == 0


def test_the_applicant_confirms_the_rectification_or_supervision_hears(client, demo):
    case = granted(demo).case
    rating = feedback.case_rate(actor=demo("lisi"), case=case, **BAD)
    with pytest.raises(Conflict):  # nothing to confirm before the follow-up
        feedback.rating_confirm(actor=demo("lisi"), rating=rating, satisfied=True)
    feedback.rating_follow_up(
        actor=demo("xq_scjg_head"), rating=rating, callback="已回访", rectification="增开窗口"
    )
    with pytest.raises(NotFound):
        feedback.rating_confirm(actor=demo("xq_scjg_head"), rating=rating, satisfied=True)
    client.force_login(demo("lisi"))
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="rating-confirm"' in page
    client.post(
        reverse("supervision:case_feedback", args=[case.pk]),
        {"action": "confirm", "satisfied": "no", "note": "仍然要排队很久"},
    )
    rating.refresh_from_db()
    assert rating.confirmed is False and rating.confirm_note == "仍然要排队很久"
    assert Message.objects.filter(
        user=demo("yc_jc_sup"), title__startswith="差评整改未获申请人认可"
    ).exists()


def test_a_follow_up_on_a_case_with_no_rating_is_a_message_not_a_500(client, demo):
    case = granted(demo).case
    client.force_login(demo("xq_scjg_head"))
    response = client.post(
        reverse("supervision:case_feedback", args=[case.pk]),
        {"action": "follow_up", "callback": "x", "rectification": "y"},
    )
    assert response.status_code == 404


def test_the_window_device_over_the_api(client, demo):
    from tests.api.test_api import token_for

    case = granted(demo).case
    clerk = token_for(client, "clerk_xq_scjg")
    opened = client.post(f"/api/v1/cases/{case.pk}/rating/window-device/", **clerk)
    assert opened.status_code == 201
    token = opened.json()["token"]
    # The clerk's own rating call is refused: only the applicant rates.
    assert client.post(f"/api/v1/cases/{case.pk}/rating/", BAD, **clerk).status_code == 404
    rated = client.post(f"/api/v1/rating-device/{token}/", BAD, content_type="application/json")
    assert rated.status_code == 201
    case.refresh_from_db()
    assert case.rating.channel == "window" and case.rating.rated_by == demo("lisi")
