"""The access matrix: every route of the URL configuration and every page type of the
tree, requested as each role, with the status each must get. A route or page type without
a row fails the test, so nothing new ships unchecked."""

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from wagtail.models import get_page_models

from training import checkin

from .routes import all_routes, is_ours

pytestmark = pytest.mark.django_db

ROLES = (
    "anon",
    "member_a",
    "member_b",
    "leader_other",
    "commune_other",
    "province",
    "trainer",
    "leader_on_admin",
)
WAGTAIL_ROUTES = Path(__file__).with_name("wagtail_routes.txt")


def expect(default: int, **overrides: int) -> dict[str, int]:
    unknown = set(overrides) - set(ROLES)
    assert not unknown, unknown
    return {role: overrides.get(role, default) for role in ROLES}


def person(w, role):
    """Whom a person route acts on: member A, or for a leader whose team holds a commune
    administrator, that administrator (a member of their team, above them in rank)."""
    return w.people.commune_x if role == "leader_on_admin" else w.people.member_a


@dataclass
class Row:
    url: object  # (world, role) -> path
    expected: dict
    method: str = "get"
    data: object = field(default_factory=dict)  # or (world, role) -> dict
    fresh_client: bool = False  # the request changes the client itself (logs out, language)


def R(name, *args):
    return lambda w, role: reverse(name, args=[a(w, role) if callable(a) else a for a in args])


def P(name):
    return R(name, lambda w, role: person(w, role).pk)


def _notice_pk() -> int:
    from privacy.models import PrivacyNotice

    return PrivacyNotice.objects.order_by("version").first().pk


ADMIN_LOGIN = 302  # Wagtail sends whoever may not enter the admin to its login page


def _membership(w, role):
    return person(w, role).memberships.get(unit=w.t.t1, ended_on__isnull=True).pk


SCOPED = ("leader_other", "commune_other", "province", "leader_on_admin")
# Statuses that depend on who asks. Admin screens first: Wagtail turns away whoever may
# not enter the admin (anonymous visitors and plain members) before our views run.
OUT = {"anon": ADMIN_LOGIN, "member_a": ADMIN_LOGIN, "member_b": ADMIN_LOGIN}


def admin(default, **overrides):
    return expect(default, **{**OUT, **overrides})


# Wagtail refuses a screen the user has no permission for by sending them back to the
# admin's home page with a message (a redirect), ours by "not found".
ADMIN_DENIED = 302
TRAINERS_ONLY = admin(ADMIN_DENIED, trainer=200)


def CAMPAIGN_OF_P(ok):
    return admin(404, province=ok)


# The rank rule answers first ("not found" for whoever may not act on the person); the
# province admin may act on member A but has no permission for Wagtail's user screens.
USER_SCREENS = admin(404, province=ADMIN_DENIED)


def scoped_only(ok):  # any administrator or team leader: `ok`; the trainer: not found
    return admin(404, **dict.fromkeys(SCOPED, ok))


def in_x_t1(ok, *, leader=None):
    """An object in commune X, team T1: the province admin sees it, the leader of T1 too
    (unless `leader` says otherwise), the other commune and team never."""
    return admin(404, province=ok, leader_on_admin=ok if leader is None else leader)


ROWS: dict[str, Row] = {
    # --- accounts -------------------------------------------------------------------
    "account/login/": Row(R("accounts:login"), expect(302, anon=200)),
    "account/logout/": Row(R("accounts:logout"), expect(302), "post", fresh_client=True),
    "account/choose-password/": Row(R("accounts:choose_password"), expect(302)),
    "account/password/": Row(R("accounts:password_change"), expect(200, anon=302)),
    "account/password/done/": Row(R("accounts:password_changed"), expect(200, anon=302)),
    "admin/members/<int:user_id>/reset-password/": Row(
        P("accounts_admin:reset_password"), admin(302)
    ),
    # --- units and members ----------------------------------------------------------
    "admin/org/": Row(R("organisations_admin:index"), scoped_only(302)),
    "admin/org/search/": Row(
        lambda w, r: reverse("organisations_admin:search") + "?q=Người", scoped_only(200)
    ),
    "admin/org/units/<int:pk>/": Row(
        R("organisations_admin:unit", lambda w, r: w.t.t1.pk), in_x_t1(200)
    ),
    "admin/org/units/<int:pk>/add-unit/": Row(
        R("organisations_admin:unit_add_child", lambda w, r: w.t.h.pk),
        in_x_t1(302, leader=404),
        method="post",
        data={"kind": "TEAM", "name": "Tổ Mới", "code": "P-X-H-T9"},
    ),
    "admin/org/units/<int:pk>/merge/": Row(
        R("organisations_admin:unit_merge", lambda w, r: w.t.t2.pk),
        in_x_t1(302, leader=404),
        method="post",
        data={"target_code": "P-X-T1", "on": "01/01/2026"},
    ),
    "admin/org/units/<int:pk>/add-member/": Row(
        R("organisations_admin:member_add", lambda w, r: w.t.t1.pk), in_x_t1(200)
    ),
    "admin/org/units/<int:pk>/activation-codes.xlsx": Row(
        R("organisations_admin:activation_codes", lambda w, r: w.t.t1.pk), in_x_t1(200)
    ),
    "admin/org/members/<int:pk>/": Row(P("organisations_admin:member"), in_x_t1(200)),
    "admin/org/members/<int:pk>/role/": Row(
        P("organisations_admin:member_assign_role"),
        in_x_t1(302),
        method="post",
        data={"unit_code": "P-X-T1", "role": "DEPUTY"},
    ),
    "admin/org/members/<int:pk>/active/": Row(
        P("organisations_admin:member_set_active"), in_x_t1(302), "post", {"active": "0"}
    ),
    "admin/org/members/<int:pk>/new-code/": Row(
        P("organisations_admin:member_new_code"), in_x_t1(302), "post"
    ),
    "admin/org/memberships/<int:pk>/end/": Row(
        R("organisations_admin:membership_end", _membership), in_x_t1(302), "post"
    ),
    "admin/org/import/": Row(R("organisations_admin:import_upload"), scoped_only(200)),
    "admin/org/import/template.xlsx": Row(
        R("organisations_admin:roster_template"), scoped_only(200)
    ),
    "admin/org/import/<int:pk>/": Row(
        R("organisations_admin:import", lambda w, r: w.roster.pk), admin(404, province=200)
    ),
    # --- question import (trainers) -------------------------------------------------
    "admin/question-import/": Row(R("quizzes_admin:import_upload"), TRAINERS_ONLY),
    "admin/question-import/template.xlsx": Row(R("quizzes_admin:template"), TRAINERS_ONLY),
    "admin/question-import/<int:pk>/": Row(
        R("quizzes_admin:import", lambda w, r: w.question_import.pk), TRAINERS_ONLY
    ),
    # --- certificates ---------------------------------------------------------------
    "admin/certificates/": Row(R("certificates_admin:index"), scoped_only(200)),
    "admin/certificates/<int:pk>/": Row(
        R("certificates_admin:detail", lambda w, r: w.certificate.pk), in_x_t1(200)
    ),
    "admin/certificates/<int:pk>/revoke/": Row(
        R("certificates_admin:revoke", lambda w, r: w.certificate.pk),
        in_x_t1(302),
        "post",
        {"reason": "Thử"},
    ),
    "admin/certificates/<int:pk>/reissue/": Row(
        R("certificates_admin:reissue", lambda w, r: w.certificate.pk),
        in_x_t1(302),
        "post",
        {"reason": "Thử"},
    ),
    "admin/certificates/archives/": Row(
        R("certificates_admin:archive_create"),
        in_x_t1(302),
        "post",
        data=lambda w, r: {"unit": w.t.t1.pk},
    ),
    "admin/certificates/archives/<int:pk>/": Row(
        R("certificates_admin:archive", lambda w, r: w.archive.pk), admin(404, province=200)
    ),
    "admin/certificates/archives/<int:pk>/download/": Row(
        R("certificates_admin:archive_download", lambda w, r: w.archive.pk),
        admin(404, province=200),
    ),
    # --- campaigns ------------------------------------------------------------------
    "admin/campaigns/": Row(R("training_admin:index"), scoped_only(200)),
    "admin/campaigns/new/": Row(R("training_admin:create"), scoped_only(200)),
    "admin/campaigns/<int:pk>/": Row(
        R("training_admin:detail", lambda w, r: w.campaign.pk), CAMPAIGN_OF_P(200)
    ),
    "admin/campaigns/<int:pk>/edit/": Row(
        R("training_admin:edit", lambda w, r: w.campaign.pk), CAMPAIGN_OF_P(200)
    ),
    "admin/campaigns/<int:pk>/status/": Row(
        R("training_admin:status", lambda w, r: w.campaign.pk),
        CAMPAIGN_OF_P(302),
        "post",
        {"status": "CLOSED"},
    ),
    # --- reports --------------------------------------------------------------------
    "admin/reports/": Row(R("reports_admin:dashboard"), scoped_only(200)),
    "admin/reports/charts/<slug:name>.svg": Row(
        R("reports_admin:chart", "trend"), scoped_only(200)
    ),
    "admin/reports/members/": Row(R("reports_admin:members"), scoped_only(200)),
    "admin/reports/members/<int:user_id>/": Row(P("reports_admin:member"), in_x_t1(200)),
    "admin/reports/questions/": Row(R("reports_admin:questions"), admin(404, trainer=200)),
    "admin/reports/exports/new/": Row(
        R("reports_admin:export_create"),
        admin(302),  # refused ones go back with the reason; the rank tests check effects
        "post",
        lambda w, r: {"kind": "MEMBERS", "format": "csv", "unit": w.t.t1.pk},
    ),
    "admin/reports/exports/<int:pk>/": Row(
        R("reports_admin:export", lambda w, r: w.export.pk), admin(404, province=200)
    ),
    "admin/reports/exports/<int:pk>/download/": Row(
        R("reports_admin:export_download", lambda w, r: w.export.pk), admin(404, province=200)
    ),
    "admin/reports/rollup/refresh/": Row(
        R("reports_admin:refresh_rollup"),
        admin(404, province=302),
        "post",
        lambda w, r: {"unit": w.t.p.pk},
    ),
    # --- scheduled jobs (superusers only) -------------------------------------------
    # Documentation: anyone who may enter the admin reads it.
    "admin/trainer-guide/": Row(R("trainer_guide"), admin(200)),
    "admin/schedules/": Row(R("schedules_admin:index"), admin(ADMIN_DENIED)),
    "admin/schedules/<int:pk>/toggle/": Row(
        R("schedules_admin:toggle", lambda w, r: w.schedule.pk), admin(ADMIN_DENIED), "post"
    ),
    "admin/schedules/<int:pk>/run/": Row(
        R("schedules_admin:run_now", lambda w, r: w.schedule.pk), admin(ADMIN_DENIED), "post"
    ),
    # --- Wagtail's user screens, with our rank rule ---------------------------------
    "admin/users/edit/<int:pk>/": Row(P("wagtailusers_users:edit"), USER_SCREENS),
    "admin/users/delete/<int:pk>/": Row(P("wagtailusers_users:delete"), USER_SCREENS),
    # --- members' pages -------------------------------------------------------------
    "courses/": Row(R("courses:catalogue"), expect(302)),
    "me/": Row(R("courses:my_learning"), expect(200, anon=302)),
    "search/": Row(lambda w, r: reverse("courses:search") + "?q=lua+dao", expect(200)),
    "lessons/<int:lesson_id>/complete/": Row(
        R("courses:complete_lesson", lambda w, r: w.lesson.pk), expect(302), "post"
    ),
    "quiz/attempts/<int:attempt_id>/": Row(
        R("quizzes:attempt", lambda w, r: w.attempt.pk), expect(404, anon=302, member_a=200)
    ),
    "quiz/attempts/<int:attempt_id>/answer/": Row(
        R("quizzes:answer", lambda w, r: w.attempt.pk),
        expect(404, anon=302, member_a=302),
        "post",
    ),
    "quiz/attempts/<int:attempt_id>/submit/": Row(
        R("quizzes:submit", lambda w, r: w.attempt.pk),
        expect(404, anon=302, member_a=302),
        "post",
    ),
    "quiz/attempts/<int:attempt_id>/result/": Row(
        R("quizzes:result", lambda w, r: w.attempt.pk), expect(404, anon=302, member_a=302)
    ),
    "verify/": Row(R("certificates:verify_form"), expect(200)),
    "verify/<str:code>/": Row(
        R("certificates:verify", lambda w, r: w.certificate.code), expect(200)
    ),
    "me/certificates/": Row(R("certificates:mine"), expect(200, anon=302)),
    "certificates/<str:code>.pdf": Row(
        R("certificates:download", lambda w, r: w.certificate.code),
        expect(404, anon=302, member_a=200, province=200, leader_on_admin=200),
    ),
    "me/notifications/": Row(R("notifications:inbox"), expect(200, anon=302)),
    "me/notifications/<int:pk>/": Row(
        R("notifications:open", lambda w, r: w.notification.pk),
        expect(404, anon=302, member_a=302),
    ),
    "me/notifications/read-all/": Row(R("notifications:read_all"), expect(302), "post"),
    "i18n/setlang/": Row(
        R("set_language"), expect(302), "post", {"language": "en"}, fresh_client=True
    ),
    # --- personal data ----------------------------------------------------------------
    "privacy/": Row(R("privacy:notice"), expect(200)),
    "me/data/": Row(R("privacy:my_data"), expect(200, anon=302)),
    "me/data/export/": Row(R("privacy:export_create"), expect(302), "post"),
    "me/data/export/<int:pk>/": Row(
        R("privacy:export", lambda w, r: w.data_export.pk), expect(404, anon=302, member_a=200)
    ),
    "me/data/export/<int:pk>/download/": Row(
        R("privacy:export_download", lambda w, r: w.data_export.pk),
        expect(404, anon=302, member_a=200),
    ),
    "me/data/correction/": Row(
        R("privacy:correction"), expect(302), "post", {"text": "Sửa số điện thoại"}
    ),
    "me/data/choices/": Row(R("privacy:choices"), expect(302), "post", {"keep_name": "1"}),
    "admin/privacy/corrections/": Row(R("privacy_admin:corrections"), scoped_only(200)),
    "admin/privacy/corrections/<int:pk>/": Row(
        R("privacy_admin:correction", lambda w, r: w.correction.pk), in_x_t1(200)
    ),
    "admin/privacy/erase/": Row(
        R("privacy_admin:erase_search"), admin(404, commune_other=200, province=200)
    ),
    "admin/privacy/retention/": Row(R("privacy_admin:retention_runs"), admin(404, province=200)),
    # Superusers only (Wagtail's model permissions turn everyone else away).
    "admin/snippets/privacy/privacynotice/edit/<int:pk>/": Row(
        R("wagtailsnippets_privacy_privacynotice:edit", lambda w, r: _notice_pk()), admin(302)
    ),
    "admin/snippets/privacy/privacynotice/delete/<int:pk>/": Row(
        R("wagtailsnippets_privacy_privacynotice:delete", lambda w, r: _notice_pk()), admin(302)
    ),
    "admin/privacy/erase/<int:user_id>/": Row(P("privacy_admin:erase"), admin(404, province=200)),
    "admin/privacy/access-log/": Row(
        R("privacy_admin:access_log"), admin(404, province=200, commune_other=200)
    ),
}

# Wagtail's own screens: one of each family, as each role. The rest of Wagtail's routes are
# listed in wagtail_routes.txt (their permission checks are Wagtail's and tested there).
ROWS.update(
    {
        "admin/": Row(R("wagtailadmin_home"), admin(200)),
        "admin/login/": Row(
            R("wagtailadmin_login"), admin(302, anon=200, member_a=200, member_b=200)
        ),
        "admin/password_reset/": Row(R("wagtailadmin_password_reset"), expect(200)),
        "admin/pages/<int:parent_page_id>/": Row(
            R("wagtailadmin_explore", lambda w, r: w.index.pk), TRAINERS_ONLY
        ),
        "admin/pages/<int:page_id>/edit/": Row(
            R("wagtailadmin_pages:edit", lambda w, r: w.lesson.pk), TRAINERS_ONLY
        ),
        "admin/users/": Row(R("wagtailusers_users:index"), admin(ADMIN_DENIED)),
        "admin/snippets/quizzes/question/": Row(
            R("wagtailsnippets_quizzes_question:list"), TRAINERS_ONLY
        ),
        "admin/images/": Row(R("wagtailimages:index"), TRAINERS_ONLY),
        "admin/documents/": Row(R("wagtaildocs:index"), TRAINERS_ONLY),
        r"documents/^(\d+)/(.*)$": Row(
            # documents are public files (handouts); see docs/security.md
            lambda w, r: w.document.url,
            expect(200),
        ),
        r"^((?:[\w\-]+/)*)$": Row(lambda w, r: "/", expect(200)),
    }
)

# Those invited to a training session (member A's team T1, its leader) and the administrators
# whose area holds it see it; nobody else learns it exists.
INVITED = expect(404, anon=302, member_a=200, province=200, leader_on_admin=200)

# Added after the field work, long-job and member releases. A resumed job goes back to its
# page (302); only its author may resume it. Question imports are Wagtail-permission screens:
# whoever may not add questions is sent to the admin's home (302) before the view runs.
ROWS.update(
    {
        "admin/certificates/archives/<int:pk>/resume/": Row(
            R("certificates_admin:archive_resume", lambda w, r: w.archive.pk),
            admin(404, province=302),
            "post",
        ),
        "admin/certificates/missing/": Row(
            R("certificates_admin:bulk_issue_create"),
            admin(404, province=302, leader_on_admin=302),
            "post",
            lambda w, r: {"unit": w.t.t1.pk, "course": w.course.pk},
        ),
        "admin/certificates/missing/<int:pk>/": Row(
            R("certificates_admin:bulk_issue", lambda w, r: w.bulk_issue.pk),
            admin(404, province=200),
        ),
        "admin/certificates/missing/<int:pk>/resume/": Row(
            R("certificates_admin:bulk_issue_resume", lambda w, r: w.bulk_issue.pk),
            admin(404, province=302),
            "post",
        ),
        "admin/org/import/<int:pk>/resume/": Row(
            R("organisations_admin:import_resume", lambda w, r: w.roster.pk),
            admin(404, province=302),
            "post",
        ),
        "admin/question-import/<int:pk>/resume/": Row(
            R("quizzes_admin:import_resume", lambda w, r: w.question_import.pk),
            admin(ADMIN_DENIED),
            "post",
        ),
        "admin/reports/exports/<int:pk>/resume/": Row(
            R("reports_admin:export_resume", lambda w, r: w.export.pk),
            admin(404, province=302),
            "post",
        ),
        "admin/reports/grants/": Row(
            lambda w, r: reverse("reports_admin:grants") + "?q=Người",
            admin(404, commune_other=200, province=200),
        ),
        "admin/reports/grants/group/": Row(
            lambda w, r: reverse("reports_admin:grant_group") + f"?unit={w.t.t1.pk}",
            admin(404, province=200),
        ),
        "admin/reports/grants/members/<int:user_id>/": Row(
            P("reports_admin:grant_member"), admin(404, province=200)
        ),
        "admin/reports/outreach/": Row(R("reports_admin:outreach"), scoped_only(200)),
        "admin/reports/outreach/export/": Row(
            R("reports_admin:outreach_export"),
            scoped_only(302),
            "post",
            lambda w, r: {"unit": w.t.t1.pk, "format": "csv"},
        ),
        "admin/outreach/": Row(R("outreach_admin:index"), scoped_only(200)),
        "admin/outreach/campaigns/<int:campaign_id>/targets/": Row(
            R("outreach_admin:add_target", lambda w, r: w.campaign.pk),
            admin(404, province=302),
            "post",
            {"kind": "PAYMENT", "per_member": "5"},
        ),
        "admin/outreach/targets/<int:pk>/remove/": Row(
            R("outreach_admin:remove_target", lambda w, r: w.outreach_target.pk),
            admin(404, province=302),
            "post",
        ),
        "admin/sessions/": Row(R("training_sessions:index"), scoped_only(200)),
        "admin/sessions/new/": Row(R("training_sessions:create"), scoped_only(200)),
        "admin/sessions/<int:pk>/": Row(
            R("training_sessions:detail", lambda w, r: w.session.pk), in_x_t1(200)
        ),
        "admin/sessions/<int:pk>/edit/": Row(
            R("training_sessions:edit", lambda w, r: w.session.pk), in_x_t1(200)
        ),
        "admin/sessions/<int:pk>/cancel/": Row(
            R("training_sessions:cancel", lambda w, r: w.session.pk), in_x_t1(302), "post"
        ),
        "admin/sessions/<int:pk>/attendance/": Row(
            R("training_sessions:attendance", lambda w, r: w.session.pk), in_x_t1(200)
        ),
        "admin/sessions/<int:pk>/qr/": Row(
            R("training_sessions:projector", lambda w, r: w.session.pk), in_x_t1(200)
        ),
        "sessions/<int:pk>/": Row(R("training:session", lambda w, r: w.session.pk), INVITED),
        "sessions/<int:pk>/calendar.ics": Row(
            R("training:calendar", lambda w, r: w.session.pk), INVITED
        ),
        "sessions/<int:pk>/check-in/": Row(
            R("training:check_in_confirm", lambda w, r: w.session.pk), expect(400, anon=302), "post"
        ),
        "sessions/<int:pk>/check-in/<str:token>/": Row(
            lambda w, r: reverse(
                "training:check_in", args=[w.session.pk, checkin.current_token(w.session.pk)]
            ),
            expect(403, anon=302, member_a=200, leader_on_admin=200),
            fresh_client=True,  # the scan gives the browser a ticket
        ),
        "me/outreach/": Row(
            R("outreach:mine"), expect(200, anon=302, commune_other=403, province=403, trainer=403)
        ),
        "me/outreach/team/": Row(
            R("outreach:team"), expect(200, anon=302, member_a=404, member_b=404, trainer=404)
        ),
        "me/outreach/<int:pk>/edit/": Row(
            R("outreach:edit", lambda w, r: w.outreach_entry.pk),
            expect(404, anon=302, member_a=200, province=200, leader_on_admin=200),
        ),
        "me/outreach/<int:pk>/delete/": Row(
            R("outreach:delete", lambda w, r: w.outreach_entry.pk),
            expect(404, anon=302, member_a=302, province=302, leader_on_admin=302),
            "post",
        ),
        "me/notifications/<int:pk>/read/": Row(
            R("notifications:mark_read", lambda w, r: w.notification.pk),
            expect(404, anon=302, member_a=302),
            "post",
        ),
        "quiz/attempts/<int:attempt_id>/check/": Row(
            R("quizzes:confirm", lambda w, r: w.attempt.pk), expect(404, anon=302, member_a=200)
        ),
    }
)


def _page_url(attribute):
    def url(w, role):
        value = w
        for part in attribute.split("."):
            value = value[part] if isinstance(value, dict) else getattr(value, part)
        return value.url

    return url


OPEN, MEMBERS_ONLY = "courses.mo", "courses.rieng"
# Each page type of the tree, open and members-only where it can be either.
PAGE_ROWS = {
    "home.HomePage": [Row(_page_url("home"), expect(200))],
    "courses.CourseIndexPage": [Row(_page_url("index"), expect(200))],
    "courses.CoursePage": [
        Row(lambda w, r: w.courses["mo"][0].url, expect(200)),
        Row(lambda w, r: w.courses["rieng"][0].url, expect(200, anon=302)),
    ],
    "courses.LessonPage": [
        Row(lambda w, r: w.courses["mo"][1].url, expect(200)),
        Row(lambda w, r: w.courses["rieng"][1].url, expect(200, anon=302)),
    ],
    "quizzes.QuizPage": [Row(_page_url("quiz"), expect(200, anon=302))],
}
OUR_APPS = {"home", "courses", "quizzes", "certificates", "training", "reports", "organisations"}


def _wagtail_listed() -> set[str]:
    lines = WAGTAIL_ROUTES.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def test_every_route_and_page_type_has_a_row():
    routes = {route for route, _name, _view in all_routes()}
    ours = {route for route, _name, view in all_routes() if is_ours(view)}
    listed = _wagtail_listed()
    assert not (ours & listed), "our routes need a row in ROWS, not in wagtail_routes.txt"
    missing = routes - set(ROWS) - listed
    assert not missing, f"routes without a row in the access matrix: {sorted(missing)}"
    stale = (set(ROWS) | listed) - routes
    assert not stale, f"rows for routes that no longer exist: {sorted(stale)}"
    page_types = {
        model._meta.label for model in get_page_models() if model._meta.app_label in OUR_APPS
    }
    assert page_types == set(PAGE_ROWS), "every page type needs a row in PAGE_ROWS"


def _users(w) -> dict:
    return {
        "anon": None,
        "member_a": w.people.member_a,
        "member_b": w.people.member_b,
        "leader_other": w.people.leader_other,
        "commune_other": w.people.commune_other,
        "province": w.people.province,
        "trainer": w.people.trainer,
        "leader_on_admin": w.people.leader_t1,
    }


def client_for(user) -> Client:
    client = Client(HTTP_HOST="localhost")
    if user is not None:
        client.force_login(user)
    return client


def _clients(w) -> dict[str, Client]:
    return {role: client_for(user) for role, user in _users(w).items()}


def _status(client, row, w, role) -> int:
    url = row.url(w, role)
    data = row.data(w, role) if callable(row.data) else row.data
    cache.clear()  # rate limits and cached pages must not depend on the order of requests
    with transaction.atomic():  # whatever the request changes is undone for the next one
        response = getattr(client, row.method)(url, data)
        transaction.set_rollback(True)
    return response.status_code


def test_access_matrix(world):
    clients, users = _clients(world), _users(world)
    rows = list(ROWS.items())
    rows += [(label, row) for label, page_rows in PAGE_ROWS.items() for row in page_rows]
    wrong, observed = [], []
    for route, row in rows:
        for role in ROLES:
            client = client_for(users[role]) if row.fresh_client else clients[role]
            status = _status(client, row, world, role)
            if row.expected[role] is None:
                observed.append(f"{route} {role} -> {status}")
            elif status != row.expected[role]:
                wrong.append(f"{route} as {role}: {status}, expected {row.expected[role]}")
    assert not observed, "\n".join(observed)
    assert not wrong, "\n".join(wrong)
