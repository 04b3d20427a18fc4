"""The authorization matrix (issue 29, "keep it found"): every URL the platform serves is
classified here, and every principal tries every case-object route, page and API, on a
case of their own and on cases of another division and another applicant. Outside a
person's scope the answer is what a case that does not exist gets (existence is not
revealed: 404, or the same 400 for a body refused before any lookup), inside it anything
but a server error; a 500 anywhere fails. A URL the matrix does not know fails the test until it
is classified below."""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from shenpi.cases import actions, services
from shenpi.catalog.models import Item
from tests.api.test_api import token_for
from tests.cases.conftest import FOOD_FORM, complete_draft

pytestmark = pytest.mark.django_db

# Every named route (namespace:name) and what guards it. "case" routes take a case id and
# are tried by every principal below; the others are guarded by their own tests.
ROUTES = {
    # public
    **dict.fromkeys(
        [
            ":healthz",
            "portal:home",
            "portal:entrance",
            "catalog:guide_list",
            "catalog:guide_detail",
            "catalog:guide_version",
            "catalog:form_download",
            "cases:bundle",
            "cases:bundles",
            "cases:track",
            "cases:register",
            "cases:verify_notice",
            "cases:verify_licence",
            "supervision:complaint_new",
            "supervision:complaint_lookup",
            "supervision:window_rating",
            "publishing:list",
            "publishing:detail",
            "accounts:login",
            "accounts:login_otp",
            "accounts:oidc_login",
            "accounts:oidc_callback",
            "accounts:unlock",
            "accounts:logout",
            "accounts:register",
            "accounts:register_enterprise",
            "api:schema",
            "api:docs",
            "api:redoc",
            "api:token",
            "api:divisions",
            "api:departments",
            "api:department",
            "api:items",
            "api:item",
            "api:item_versions",
            "api:item_version",
            "api:form",
            "api:publications",
            "api:publication",
            "api:case_track",
            "api:licence_verify",
            "api:complaints",
            "api:rating_device",
            "consult:ask",
            "consult:lookup",
            "consult:suggest",
            "api:questions",
            "api:question_lookup",
            "api:faqs",
            "portal:search",
            "api:search",
            # the service hall: its devices (the kiosk, the phone and the rating device
            # need the hall's key; tests/hall), a ticket by its unguessable id, the board
            "hall:halls",
            "hall:book",
            "hall:kiosk",
            "hall:take",
            "hall:ticket",
            "hall:board",
            "hall:device",
            "hall:poster",
            "hall:cancel_link",
            "api:hall_phone_codes",
            "api:hall_booking_cancel_link",
            "api:hall_centres",
            "api:hall_slots",
            "api:hall_tickets",
            "api:hall_check_in",
            "api:hall_board",
            "api:hall_ticket",
            "api:hall_window_device",
            # GET: the signed-in person's bookings (401 otherwise); POST: a booking, signed
            # in or by a proved mobile number
            "api:hall_bookings",
        ],
        "public",
    ),
    # a signed-in person's own things, or their role's pages
    **dict.fromkeys(
        [
            "accounts:otp_setup",
            "portal:workbench",
            "portal:role_home",
            "cases:apply",
            "cases:mine",
            "cases:intake",
            "cases:window",
            "notify:inbox",
            "notify:read",
            "api:messages",
            "supervision:monitor",
            "supervision:screen",
            "supervision:screen_data",
            "supervision:orders",
            "supervision:order_answer",
            "supervision:complaints",
            "supervision:my_complaints",
            "supervision:complaint_act",
            "supervision:audit",
            "supervision:evaluation",
            "supervision:rules",
            "supervision:rule_steps",
            "supervision:findings",
            "supervision:watched",
            "catalog:manage",
            "catalog:item_new",
            "catalog:export",
            "catalog:import",
            "catalog:form_upload",
            "catalog:draft_next",
            "catalog:version_diff",
            "catalog:version_edit",
            "catalog:version_submit",
            "catalog:review_decide",
            "catalog:review_queue",
            "catalog:item_abolish",
            "publishing:manage",
            "publishing:new",
            "publishing:edit",
            "publishing:review",
            "api:me",
            "api:token_revoke",
            "api:staff",
            "api:staff_detail",
            "api:item_draft",
            "api:item_version_submit",
            "api:cases",
            "api:case_draft",
            "api:case_submit_one",
            "api:tasks",
            "api:warnings",
            "api:evaluation",
            "api:monitor",
            "api:orders",
            "api:order_answer",
            "api:complaint_actions",
            "consult:mine",
            "consult:inbox",
            "consult:question",
            "consult:faq_review",
            "api:question",
            "api:question_actions",
            "api:faq_review",
            "cases:extensions",
            "api:extension_requests",
            "stats:department",
            "api:statistics_departments",
            "api:statistics_stuck",
            "api:statistics_forecast",
            "api:statistics_currency",
            "stats:currency",
            "stats:guide_confirm",
            "api:item_guide_confirm",
            "api:reviews",
            "api:review_file",
            "stats:reviews",
            "stats:review_generate",
            "stats:review_file",
            "stats:decision",
            "stats:cases_behind",
            "catalog:bundles",
            "catalog:bundle_act",
            "cases:post_checks",
            "api:post_checks",
            "cases:credit",
            "api:bundles",
            "api:bundle_apply",
            "agency:home",
            "agency:projects",
            "agency:project_new",
            "agency:my_authorisations",
            "agency:window_authorisation",
            "api:authorisations",
            "api:project_templates",
            "api:projects",
            "hall:mine",
            "hall:window",
            "hall:monitor_list",
            "hall:monitor",
            "api:hall_live",
        ],
        "signed_in",
    ),
    # objects that belong to a case: scoped through it (tests/security/test_malformed_ids.py
    # and the services' tests)
    **dict.fromkeys(
        [
            "cases:material_remove",
            "cases:original_seen",
            "cases:material",
            "cases:notice",
            "cases:licence",
            "cases:licence_act",
            "cases:task_act",
            # a step's operations: the step is looked up among the caller's cases' steps
            # (tests/api/test_review_api.py, tests/security/test_malformed_ids.py)
            *(f"api:task_{name}" for name in actions.TASK.names()),
            # the approver's queue (tests/cases/test_extensions.py)
            "cases:extension_decide",
            "api:extension_decision",
            # a post-check, scoped like its case (tests/cases/test_commitments.py)
            "cases:post_check_record",
            "api:post_check_result",
        ],
        "case_child",
    ),
    # a project and an authorisation: tried by every principal (OBJECT_ROUTES below)
    **dict.fromkeys(
        [
            "agency:project",
            "agency:project_apply",
            "api:project",
            "api:project_apply",
            "agency:revoke",
            "api:authorisation_revoke",
            "cases:bundle_progress",
            "api:bundle_application",
        ],
        "object",
    ),
    # system clients only, each to what its subscription or binding lets it see
    # (tests/exchange/test_feed.py); a lower-level platform's own cases, by its own ids
    # (tests/exchange/test_lower_push.py)
    **dict.fromkeys(["api:events", "api:lower_case"], "system"),
    # 电子证照共享: a department's read by consent or stated law; the holder's own consents
    # (tests/cases/test_licence_sharing.py)
    **dict.fromkeys(
        [
            "api:licence_library",
            "cases:licence_library",
            "api:licence_consents",
            "cases:consent_grant",
        ],
        "signed_in",
    ),  # fmt: skip
    **dict.fromkeys(["api:licence_consent_revoke", "cases:consent_revoke"], "object"),
    **dict.fromkeys(["notify:open", "api:message_read"], "object"),
    # a booking (its applicant's), a window (its clerk's), a ticket at a window (that
    # window's clerk's)
    **dict.fromkeys(
        [
            "hall:cancel",
            "api:hall_booking_cancel",
            "api:hall_window",
            "api:hall_window_state",
            "api:hall_window_call",
            "api:hall_ticket_action",
        ],
        "object",
    ),
}
# Routes that take a case's id: (route, method, page or API path template).
CASE_ROUTES = [
    ("cases:detail", "get", "/cases/{pk}/"),
    ("cases:edit", "get", "/cases/{pk}/edit/"),
    ("cases:commit", "post", "/cases/{pk}/commitment/"),
    ("api:case_commitment", "post", "/api/v1/cases/{pk}/commitment/"),
    ("cases:upload", "post", "/cases/{pk}/upload/"),
    ("cases:from_licence", "post", "/cases/{pk}/from-licence/"),
    ("cases:from_library", "post", "/cases/{pk}/from-library/"),
    ("cases:act", "post", "/cases/{pk}/act/"),
    ("cases:personal", "post", "/cases/{pk}/personal/"),
    ("cases:review_act", "post", "/cases/{pk}/review/"),
    ("supervision:order_issue", "post", "/cases/{pk}/order/"),
    ("supervision:case_feedback", "post", "/cases/{pk}/feedback/"),
    ("supervision:rating_appeal", "post", "/cases/{pk}/rating-appeal/"),
    ("api:case", "get", "/api/v1/cases/{pk}/"),
    ("api:case_personal", "get", "/api/v1/cases/{pk}/personal/"),
    ("api:case_materials", "post", "/api/v1/cases/{pk}/materials/"),
    ("api:case_submit", "post", "/api/v1/cases/{pk}/submit/"),
    # Every action on a case, each its own operation (cases.actions' table).
    *(
        (f"api:case_{name}", "post", f"/api/v1/cases/{{pk}}/{action.resource}/")
        for table in (actions.CASE, actions.REVIEW)
        for name, action in table.actions.items()
    ),
    ("api:case_rating", "post", "/api/v1/cases/{pk}/rating/"),
    ("api:case_rating_confirm", "post", "/api/v1/cases/{pk}/rating/confirm/"),
    ("api:case_rating_window_device", "post", "/api/v1/cases/{pk}/rating/window-device/"),
]
ROUTES.update(dict.fromkeys((name for name, _m, _p in CASE_ROUTES), "case"))

# Who sees which case (CONTRACTS.md "Who sees a case"), written out by hand: a Yinchuan
# food case of 张三's, and a regional investment project of 塞上's, both received.
SEES_YINCHUAN = {
    "zhangsan", "yc_scjg_off1", "yc_scjg_head", "clerk_yc_scjg",
    "yc_jc_sup", "nx_jc_sup", "yc_zfb_leader", "nx_zfb_leader", "admin",
}  # fmt: skip
SEES_REGION = {"saishang", "nx_fgw_off1", "nx_fgw_head", "nx_jc_sup", "nx_zfb_leader", "admin"}
PRINCIPALS = sorted(
    SEES_YINCHUAN
    | SEES_REGION
    | {"lisi", "observer", "nx_scjg_off1", "xq_scjg_off1", "yc_zrzy_off1", "clerk_nx_scjg"}
)


def _named_routes(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from _named_routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}", str(pattern.pattern)


def test_every_url_is_classified():
    unknown = sorted(
        f"{name} ({route})"
        for name, route in _named_routes(get_resolver().url_patterns)
        if not name.startswith("admin:") and not route.startswith("admin/") and name not in ROUTES
    )
    assert unknown == [], "classify these routes in ROUTES: " + ", ".join(unknown)


@pytest.fixture
def cases(demo):
    from tests.cases.test_review import PROJECT_FORM

    food = Item.objects.get(code="640100-SCJG-001")
    yinchuan = complete_draft(services, demo("zhangsan"), food)
    yinchuan = services.case_submit(
        actor=demo("zhangsan"), case=yinchuan, declaration=True, form_data=FOOD_FORM
    )
    project = Item.objects.get(code="640000-FGW-001")
    region = complete_draft(services, demo("saishang"), project)
    region = services.case_submit(
        actor=demo("saishang"), case=region, declaration=True, form_data=PROJECT_FORM
    )
    return {"yinchuan": (yinchuan, SEES_YINCHUAN), "region": (region, SEES_REGION)}


def test_every_principal_on_every_case_route(client, demo, cases):
    client.raise_request_exception = False
    tried, leaks, errors = 0, [], []
    for username in PRINCIPALS:
        person = demo(username)
        token = token_for(client, username)
        client.force_login(person)
        for label, (case, seen_by) in cases.items():
            for name, method, template in CASE_ROUTES:
                path = template.format(pk=case.pk)
                extra = token if path.startswith("/api/") else {}
                response = getattr(client, method)(path, **extra)
                tried += 1
                status = response.status_code
                if status >= 500:
                    errors.append(f"{username} {method.upper()} {path} ({name}): {status}")
                    continue
                if username not in seen_by:
                    missing = getattr(client, method)(template.format(pk=uuid.uuid4()), **extra)
                    if status != missing.status_code or status not in (400, 404):
                        leaks.append(
                            f"{username} {label} {name}: {status} (a missing case: "
                            f"{missing.status_code})"
                        )
                elif name in ("cases:detail", "api:case") and status != 200:
                    leaks.append(f"{username} cannot read its own {label} case: {status}")
        client.logout()
    assert errors == [] and leaks == [], "\n".join(errors + leaks)
    assert tried == len(PRINCIPALS) * len(cases) * len(CASE_ROUTES)


# A case's children, scoped through their case: a window case at Xingqing, granted on the
# spot to 李四, with its materials, notices and licence.
SEES_XINGQING = {
    "lisi", "clerk_xq_scjg", "xq_scjg_off1", "xq_scjg_head",
    "yc_jc_sup", "nx_jc_sup", "yc_zfb_leader", "nx_zfb_leader", "admin",
}  # fmt: skip
CHILD_ROUTES = [
    ("cases:material", "get", "/materials/{material}/"),
    ("cases:material_remove", "post", "/materials/{material}/remove/"),
    ("cases:original_seen", "post", "/materials/{material}/seen/"),
    ("cases:notice", "get", "/notices/{notice}/"),
    ("cases:licence", "get", "/licences/{licence}/"),
    ("cases:licence_act", "post", "/licences/{licence}/act/"),
]


def test_every_principal_on_a_cases_children(client, demo):
    from tests.cases.test_licences import granted

    licence = granted(demo)
    case = licence.case
    ids = {
        "material": case.materials.first().pk,
        "notice": case.notices.first().pk,
        "licence": licence.pk,
    }
    client.raise_request_exception = False
    problems, tried = [], 0
    for username in sorted(SEES_XINGQING | {"zhangsan", "saishang", "yc_scjg_off1", "observer"}):
        client.force_login(demo(username))
        for name, method, template in CHILD_ROUTES:
            status = getattr(client, method)(template.format(**ids)).status_code
            missing = getattr(client, method)(
                template.format(**dict.fromkeys(ids, uuid.uuid4()))
            ).status_code
            tried += 1
            if status >= 500:
                problems.append(f"{username} {name}: {status}")
            elif username not in SEES_XINGQING and status != missing:
                problems.append(f"{username} {name}: {status} (a missing one: {missing})")
        client.logout()
    assert problems == [], "\n".join(problems)
    assert tried == 13 * len(CHILD_ROUTES)


# Objects of other kinds, each owned by Yinchuan's market regulator (or filed about it):
# a draft item version, a draft publication, a supervision order, a complaint, an
# official, a step of a case. Everyone tries every route on each; those with no business
# with it (applicants who are not party to it, the observer, officials of other
# departments and divisions) get what a missing object gets, and nobody a server error.
STRANGERS = {"lisi", "saishang", "observer", "nx_fgw_off1", "xq_scjg_off1", "yc_zrzy_off1"}
OBJECT_ROUTES = {
    "version": [
        ("catalog:version_diff", "get", "/catalog/versions/{id}/"),
        ("catalog:version_edit", "get", "/catalog/versions/{id}/edit/"),
        ("catalog:version_submit", "post", "/catalog/versions/{id}/submit/"),
        ("catalog:review_decide", "post", "/catalog/versions/{id}/review/"),
        ("api:item_version_submit", "post", "/api/v1/item-versions/{id}/submit/"),
    ],
    "publication": [
        ("publishing:edit", "get", "/publishing/{id}/edit/"),
        ("publishing:review", "post", "/publishing/{id}/review/"),
    ],
    "order": [
        ("supervision:order_answer", "post", "/supervision/orders/{id}/answer/"),
        ("api:order_answer", "post", "/api/v1/supervision/orders/{id}/answer/"),
    ],
    "complaint": [
        ("supervision:complaint_act", "post", "/supervision/complaints/{id}/"),
        ("api:complaint_actions", "post", "/api/v1/complaints/{number}/actions/"),
    ],
    "staff": [("api:staff_detail", "get", "/api/v1/staff/{id}/")],
    "question": [
        ("consult:question", "get", "/consult/{id}/"),
        ("consult:question", "post", "/consult/{id}/"),
        ("api:question", "get", "/api/v1/questions/{id}/"),
        ("api:question_actions", "post", "/api/v1/questions/{id}/actions/"),
    ],
    "faq": [
        ("consult:faq_review", "post", "/desk/faqs/{id}/review/"),
        ("api:faq_review", "post", "/api/v1/faqs/{id}/review/"),
    ],
    "task": [
        ("cases:task_act", "post", "/cases/{case}/tasks/{id}/"),
        *(
            (f"api:task_{name}", "post", f"/api/v1/tasks/{{id}}/{action.resource}/")
            for name, action in actions.TASK.actions.items()
        ),
    ],
    # 张三's project in Yinchuan, carried by the centre's agent, and its authorisation.
    "project": [
        ("agency:project", "get", "/agency/projects/{id}/"),
        ("agency:project_apply", "post", "/agency/projects/{id}/items/{item}/apply/"),
        ("api:project", "get", "/api/v1/projects/{id}/"),
        ("api:project_apply", "post", "/api/v1/projects/{id}/items/{item}/apply/"),
    ],
    "bundle_application": [
        ("cases:bundle_progress", "get", "/my/bundles/{id}/"),
        ("api:bundle_application", "get", "/api/v1/bundle-applications/{id}/"),
    ],
    "authorisation": [
        ("agency:revoke", "post", "/my/authorisations/{id}/revoke/"),
        ("api:authorisation_revoke", "post", "/api/v1/authorisations/{id}/revoke/"),
    ],
    # 张三's consent to a department to read his licences: his alone to revoke.
    "message": [
        ("notify:open", "post", "/my/messages/{id}/"),
        ("api:message_read", "post", "/api/v1/messages/{id}/read/"),
    ],
    "licence_consent": [
        ("cases:consent_revoke", "post", "/my/licence-consents/{id}/revoke/"),
        ("api:licence_consent_revoke", "post", "/api/v1/licence-consents/{id}/revoke/"),
    ],
    # 张三's booking in Yinchuan's hall; window B01 and the ticket called at it.
    "booking": [
        ("hall:cancel", "post", "/my/bookings/{id}/cancel/"),
        ("api:hall_booking_cancel", "post", "/api/v1/hall/bookings/{id}/cancel/"),
    ],
    "window": [
        ("api:hall_window", "get", "/api/v1/hall/windows/{id}/"),
        ("api:hall_window_state", "post", "/api/v1/hall/windows/{id}/state/"),
        ("api:hall_window_call", "post", "/api/v1/hall/windows/{id}/call/"),
    ],
    "ticket": [
        ("api:hall_ticket_action", "post", "/api/v1/hall/tickets/{id}/skip/"),
        ("api:hall_ticket_action", "post", "/api/v1/hall/tickets/{id}/transfer/"),
    ],
}


@pytest.fixture
def objects(demo, cases):
    from datetime import date

    from shenpi.catalog.services import version_draft_next
    from shenpi.publishing.services import publication_draft
    from shenpi.supervision import feedback
    from shenpi.supervision.services import order_issue

    case = cases["yinchuan"][0]
    food = Item.objects.get(code="640100-SCJG-001")
    version = version_draft_next(actor=demo("yc_scjg_off1"), item=food)
    publication = publication_draft(
        actor=demo("yc_scjg_off1"), kind="notice", title="公告", body="正文"
    )
    order = order_issue(
        actor=demo("yc_jc_sup"), case=case, text="请说明", answer_due=date(2030, 1, 1)
    )
    complaint = feedback.complaint_file(
        actor=demo("zhangsan"), department=case.department, subject="办理慢", body="超时", case=case
    )
    services.case_accept(actor=demo("yc_scjg_off1"), case=case)
    task = case.tasks.order_by("opened_at").first()
    from shenpi.consult import services as consult

    question = consult.question_ask(actor=demo("zhangsan"), title="问", body="问", item=food)
    answered = consult.question_ask(actor=demo("zhangsan"), title="问", body="问", item=food)
    consult.question_answer(actor=demo("yc_scjg_off1"), question=answered, text="答")
    faq = consult.faq_propose(
        actor=demo("yc_scjg_off1"), question=answered, title="问", answer="答"
    )
    from datetime import timedelta

    from django.utils import timezone

    from shenpi.agency.demo import seed_templates
    from shenpi.agency.services import project_open

    authorisation = services.authorisation_sign(
        actor=demo("zhangsan"), agent=demo("agent"), scope="project", project_name="张三农家乐",
        until=timezone.localdate() + timedelta(days=90), confirmed=True,
    )  # fmt: skip
    project = project_open(
        actor=demo("agent"), authorisation=authorisation, name="张三农家乐", location="永宁县",
        code=f"{timezone.localdate().year}-640100-53-01-000009", investment="300",
        industry="其他", template=seed_templates(),
    )  # fmt: skip
    from shenpi.catalog.models import Bundle
    from tests.cases.test_bundles import FORM, every_material

    restaurant = Bundle.objects.get(code="YJS-640100-001")
    application = services.bundle_apply(
        actor=demo("zhangsan"), bundle=restaurant, applicant=demo("zhangsan"), form_data=FORM,
        uploads=every_material(restaurant), declaration=True,
    )  # fmt: skip
    consent = services.consent_grant(
        actor=demo("zhangsan"), department=case.department, purpose="变更",
        until=timezone.localdate() + timedelta(days=30),
    )  # fmt: skip
    from shenpi.notify.models import Message

    message = Message.objects.filter(user=demo("zhangsan")).first()
    booking, window, ticket = _hall_objects(demo)
    return {
        "booking": {"id": booking.pk},
        "window": {"id": window.pk},
        "ticket": {"id": ticket.pk},
        "message": {"id": message.pk},
        "licence_consent": {"id": consent.pk},
        "bundle_application": {"id": application.pk},
        "project": {"id": project.pk, "item": project.items.first().pk},
        "authorisation": {"id": authorisation.pk},
        "version": {"id": version.pk},
        "publication": {"id": publication.pk},
        "order": {"id": order.pk},
        "complaint": {"id": complaint.pk, "number": complaint.number},
        "staff": {"id": demo("yc_scjg_off1").public_id},
        "task": {"id": task.pk, "case": case.pk},
        "question": {"id": question.pk},
        "faq": {"id": faq.pk},
    }


def _hall_objects(demo):
    """Made as rows, not through the services: the matrix runs at any hour, and the hall
    takes tickets in its opening hours only."""
    from datetime import timedelta

    from django.utils import timezone

    from shenpi.hall.models import Booking, Hall, Ticket

    hall = Hall.objects.get(centre__code="yc-zwfw")
    group = hall.groups.get(letter="A")
    today = timezone.localdate()
    booking = Booking.objects.create(
        hall=hall, group=group, item=Item.objects.get(code="640100-SCJG-001"),
        applicant=demo("zhangsan"), day=today + timedelta(days=30), half="am", code="123456",
    )  # fmt: skip
    clerk = demo("clerk_yc_scjg")
    ticket = Ticket.objects.create(
        hall=hall, group=group, day=today, number=1, label="A001", source="kiosk",
        taken_at=timezone.now(), status="called", window=clerk.window, called_by=clerk,
        called_at=timezone.now(), calls=1,
    )  # fmt: skip
    return booking, clerk.window, ticket


def _missing(ids: dict) -> dict:
    out = {}
    for key, value in ids.items():
        if key == "case":
            out[key] = value  # the step is missing, not its case
        elif isinstance(value, int):
            out[key] = 2_000_000_000
        elif isinstance(value, str):
            out[key] = "TS00000000000000"
        else:
            out[key] = uuid.uuid4()
    return out


def test_every_principal_on_every_other_object_route(client, demo, objects):
    client.raise_request_exception = False
    tried, problems = 0, []
    for username in PRINCIPALS:
        client.force_login(demo(username))
        token = token_for(client, username)
        for kind, routes in OBJECT_ROUTES.items():
            for name, method, template in routes:
                extra = token if template.startswith("/api/") else {}
                path = template.format(**objects[kind])
                status = getattr(client, method)(path, **extra).status_code
                missing = getattr(client, method)(
                    template.format(**_missing(objects[kind])), **extra
                ).status_code
                tried += 1
                leaks = username in STRANGERS and status != missing
                if status >= 500 or missing >= 500 or leaks:
                    problems.append(f"{username} {name}: {status} (a missing one: {missing})")
        client.logout()
    assert problems == [], "\n".join(problems)
    assert tried == len(PRINCIPALS) * sum(len(r) for r in OBJECT_ROUTES.values())
    classified = {name for routes in OBJECT_ROUTES.values() for name, _m, _p in routes}
    assert classified <= set(ROUTES)
