"""Fuzzing every view's query and form parameters, and the quiz POSTs, as the roles that use
them: ids, dates, NUL bytes, long strings, NFD, bidi and zero-width characters, invalid
UTF-8. Whatever arrives, the answer is never a server error.

Deterministic in CI: hypothesis is derandomised and the number of examples bounded."""

import unicodedata

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

EDGE_CASES = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e9",
    "99999999999999999999",
    str(2**63),
    "abc",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "31/12/2026",
    "01/01/0001",
    "٣",  # an Arabic-Indic digit: isdigit() says yes
    "\u202egnóuhP",  # right-to-left override
    "Nguyễn\u200bVăn",  # zero-width space
    "\ufeffBOM",
    unicodedata.normalize("NFD", "Người lừa đảo"),
    "lừa đảo",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "//evil.example",
    "../../etc/passwd",
    "🙂" * 20,
    "A" * 5000,
    "UNIT_ADMIN",
    "LEADER",
    "overdue",
    "trend",
]
VALUES = st.one_of(
    st.sampled_from(EDGE_CASES),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
# Invalid UTF-8 and lone surrogates (as their CESU-8 bytes) cannot be typed as Python
# text: they go in raw, percent-encoded.
RAW_BYTES = st.sampled_from(["%ff%fe", "%ed%a0%80", "%c0%af", "%e2%80%ae%00", "%f4%90%80%80"])


def _as(user) -> Client:
    client = Client(HTTP_HOST="localhost", raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _request(client, method, url, data=None, raw_query=""):
    cache.clear()
    with transaction.atomic():
        if raw_query:
            url = f"{url}{'&' if '?' in url else '?'}{raw_query}"
        response = getattr(client, method)(url, data or {})
        transaction.set_rollback(True)
    assert response.status_code < 500, (method, url, data, response.status_code)
    return response


def _get_targets(w):
    """(role's user, url, parameter names) for every screen that reads the query string."""
    p = w.people
    return [
        (
            p.province,
            reverse("reports_admin:dashboard"),
            ["unit", "course", "campaign", "role", "date_from", "date_to"],
        ),
        (
            p.province,
            reverse("reports_admin:members"),
            ["unit", "status", "page", "course", "date_to"],
        ),
        (
            p.province,
            reverse("reports_admin:chart", args=["trend"]),
            ["unit", "campaign", "date_from"],
        ),
        (
            p.province,
            reverse("reports_admin:chart", args=["pass-rates"]),
            ["unit", "course", "role"],
        ),
        (p.province, reverse("organisations_admin:search"), ["q"]),
        (p.province, reverse("organisations_admin:unit", args=[w.t.p.pk]), ["page"]),
        (p.province, reverse("certificates_admin:index"), ["status", "q", "course", "page"]),
        (p.province, reverse("training_admin:index"), ["page"]),
        (p.trainer, reverse("reports_admin:questions"), ["topic"]),
        (p.trainer, "/admin/pages/search/", ["q", "p"]),
        (p.trainer, "/admin/snippets/quizzes/question/", ["q", "topic", "kind", "p"]),
        (p.trainer, "/admin/images/", ["q", "collection_id", "p"]),
        (p.member_a, reverse("courses:search"), ["q"]),
        (p.member_a, reverse("quizzes:attempt", args=[w.attempt.pk]), ["q"]),
        (p.member_a, reverse("notifications:inbox"), ["page"]),
        (None, reverse("certificates:verify_form"), ["code"]),
        (None, reverse("courses:search"), ["q"]),
        (None, "/account/login/", ["next"]),
        (
            p.province,
            reverse("reports_admin:outreach"),
            ["unit", "course", "campaign", "kind", "date_from", "date_to", "view"],
        ),
        (p.province, reverse("reports_admin:grants"), ["q"]),
        (p.province, reverse("reports_admin:grant_group"), ["unit", "course", "status", "role"]),
        (p.province, reverse("training_sessions:index"), ["page", "when"]),
        (p.member_a, reverse("outreach:mine"), ["page", "date"]),
        (p.leader_t1, reverse("outreach:team"), ["page", "member"]),
    ]


@FUZZ
@given(data=st.data())
def test_query_parameters_never_cause_a_server_error(world, data):
    targets = _get_targets(world)
    user, url, names = data.draw(st.sampled_from(targets))
    chosen = data.draw(
        st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True)
    )
    params = {name: data.draw(VALUES) for name in chosen}
    raw = data.draw(st.one_of(st.just(""), RAW_BYTES.map(lambda b: f"{chosen[0]}={b}")))
    _request(_as(user), "get", url, params, raw_query=raw)


@FUZZ
@given(code=st.one_of(VALUES, RAW_BYTES))
def test_the_verify_path_never_causes_a_server_error(world, code):
    from urllib.parse import quote

    segment = code if code.startswith("%") else quote(code, safe="") or "x"
    _request(_as(None), "get", f"/verify/{segment}/")
    _request(_as(None), "get", f"/certificates/{segment}.pdf")


def _post_targets(w):
    """(role's user, url, form fields) of every form that changes something."""
    p = w.people
    member = p.member_a.pk
    return [
        (
            p.province,
            reverse("organisations_admin:member", args=[member]),
            ["full_name", "phone", "email", "date_of_birth"],
        ),
        (
            p.leader_t1,
            reverse("organisations_admin:member_add", args=[w.t.t1.pk]),
            ["full_name", "phone", "email", "date_of_birth", "role"],
        ),
        (
            p.province,
            reverse("organisations_admin:member_assign_role", args=[member]),
            ["unit_code", "role"],
        ),
        (p.province, reverse("organisations_admin:member_set_active", args=[member]), ["active"]),
        (
            p.province,
            reverse("organisations_admin:unit_add_child", args=[w.t.x.pk]),
            ["kind", "name", "code", "local_label"],
        ),
        (
            p.province,
            reverse("organisations_admin:unit_merge", args=[w.t.t2.pk]),
            ["target_code", "on"],
        ),
        (
            p.province,
            reverse("training_admin:create"),
            ["title", "description", "courses", "unit_codes", "starts_on", "due_on", "status"],
        ),
        (
            p.province,
            reverse("training_admin:edit", args=[w.campaign.pk]),
            ["title", "description", "due_on"],
        ),
        (p.province, reverse("training_admin:status", args=[w.campaign.pk]), ["status"]),
        (
            p.province,
            reverse("reports_admin:export_create"),
            [
                "kind",
                "format",
                "unit",
                "member",
                "course",
                "campaign",
                "role",
                "date_from",
                "date_to",
                "status",
                "back",
            ],
        ),
        (p.province, reverse("reports_admin:refresh_rollup"), ["unit"]),
        (p.province, reverse("certificates_admin:archive_create"), ["unit"]),
        (p.province, reverse("certificates_admin:revoke", args=[w.certificate.pk]), ["reason"]),
        (p.province, reverse("organisations_admin:import", args=[w.roster.pk]), ["only_valid"]),
        (p.trainer, reverse("quizzes_admin:import", args=[w.question_import.pk]), ["only_valid"]),
        (None, "/account/login/", ["username", "password", "next"]),
        (None, reverse("wagtailadmin_password_reset"), ["email"]),
        (p.member_a, "/i18n/setlang/", ["language", "next"]),
        (p.member_a, reverse("courses:complete_lesson", args=[w.lesson.pk]), ["x"]),
        (p.member_a, w.quiz.url, ["action"]),
        (
            p.province,
            reverse("training_sessions:create"),
            [
                "title",
                "course",
                "topic",
                "place",
                "starts_on",
                "starts_time",
                "ends_on",
                "ends_time",
                "trainer",
                "capacity",
                "unit_codes",
            ],
        ),
        (
            p.province,
            reverse("training_sessions:attendance", args=[w.session.pk]),
            ["shown", "present"],
        ),
        (
            p.province,
            reverse("reports_admin:grant_member", args=[member]),
            ["quiz", "extra_attempts", "extra_minutes", "reason"],
        ),
        (
            p.province,
            reverse("outreach_admin:add_target", args=[w.campaign.pk]),
            ["kind", "per_member", "starts_on", "ends_on"],
        ),
        (
            p.province,
            reverse("reports_admin:outreach_export"),
            ["unit", "course", "campaign", "kind", "date_from", "date_to", "format", "report"],
        ),
        (p.member_a, reverse("outreach:mine"), ["helped_on", "place", "kind", "residents", "note"]),
    ]


@pytest.mark.parametrize("huge", ["99999999999999999999999", str(2**63)])
def test_an_id_too_large_for_the_database_is_refused_not_a_crash(world, huge):
    """Ids beyond 64 bits overflow SQLite's integers inside Django's ModelChoiceField: our
    forms use common.forms.IdChoiceField, which refuses them as an invalid choice."""
    p = world.people
    checks = [
        ("get", reverse("reports_admin:outreach"), {"course": huge}),
        ("get", reverse("reports_admin:outreach"), {"campaign": huge}),
        ("post", reverse("training_sessions:create"), {"course": huge, "trainer": huge}),
        (
            "post",
            reverse("reports_admin:grant_member", args=[p.member_a.pk]),
            {"quiz": huge, "extra_attempts": "1", "extra_minutes": "0", "reason": "Mất điện"},
        ),
        ("post", reverse("outreach:mine"), {"place": huge, "kind": "VNEID", "residents": "1"}),
    ]
    for method, url, data in checks:
        user = p.member_a if url.startswith("/me/") else p.province
        assert _request(_as(user), method, url, data).status_code in (200, 302, 400, 404)


def test_our_forms_choose_objects_through_the_id_checking_fields():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    skipped = {".venv", ".git", "tests", "bench", "node_modules", "media", "site"}
    offenders = []
    for folder in (d for d in root.iterdir() if d.is_dir() and d.name not in skipped):
        for path in folder.rglob("*.py"):
            relative = path.relative_to(root)
            if relative == Path("common/forms.py") or "migrations" in relative.parts:
                continue
            text = path.read_text(encoding="utf-8")
            if "forms.ModelChoiceField" in text or "forms.ModelMultipleChoiceField" in text:
                offenders.append(str(relative))
    assert not offenders, f"use common.forms.IdChoiceField / IdMultipleChoiceField: {offenders}"


@FUZZ
@given(data=st.data())
def test_forms_never_cause_a_server_error(world, data):
    user, url, names = data.draw(st.sampled_from(_post_targets(world)))
    chosen = data.draw(
        st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True)
    )
    form = {name: data.draw(VALUES) for name in chosen}
    _request(_as(user), "post", url, form)


@FUZZ
@given(data=st.data())
def test_quiz_posts_never_cause_a_server_error(world, data):
    """Answers with foreign, malformed or huge field names and values, then submitting."""
    attempt = world.attempt
    served = attempt.served[0]
    real_question = str(served["question"])
    real_choices = [str(c["id"]) for c in served["choices"]]
    key = data.draw(
        st.one_of(
            st.just(f"q-{real_question}"),
            st.sampled_from(["q-", "q-abc", "q-0", "q--1", f"q-{2**70}", "q-\x00", "x"]),
            VALUES.map(lambda v: f"q-{v}"),
        )
    )
    values = data.draw(
        st.lists(st.one_of(st.sampled_from(real_choices), VALUES), min_size=0, max_size=5)
    )
    form = {
        key: values,
        "next": data.draw(VALUES),
        "action": data.draw(st.sampled_from(["", "save", "submit", "\x00x"])),
    }
    member = _as(world.people.member_a)
    _request(member, "post", reverse("quizzes:answer", args=[attempt.pk]), form)
    other = _as(world.people.member_b)
    response = _request(other, "post", reverse("quizzes:answer", args=[attempt.pk]), form)
    assert response.status_code in (400, 404)
    _request(member, "post", reverse("quizzes:submit", args=[attempt.pk]), {"x": data.draw(VALUES)})
