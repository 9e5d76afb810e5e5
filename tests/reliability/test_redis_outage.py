"""Redis stopped (a redis-server of this test's own, killed and started again on the same
port): every page and every write works, /healthz says what is down, and once Redis is back
a real worker does the follow-up work exactly once."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from certificates import services as certificate_services
from certificates.models import Certificate
from common import content_cache
from common.models import OutboxMessage
from courses.models import CourseCompletion
from notifications.models import Kind, Notification
from organisations import services as org
from organisations.models import Role, UnitKind
from quizzes.models import Attempt, GradedAttemptStats, QuestionStat, QuizDrawRule
from tests.quizzes.conftest import right_answers
from tests.redis_server import celery_broker, private_redis, requires_redis_server
from tests.worker import running_worker, send, wait_for

pytestmark = [
    pytest.mark.worker,
    requires_redis_server,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "Mat-khau-rat-dai-1"
SUBMISSIONS = 100


@pytest.fixture
def redis(settings):
    with private_redis() as server:
        settings.CACHES = {
            "default": {"BACKEND": "common.cache.RedisCache", "LOCATION": server.url}
        }
        with celery_broker(server.url):
            yield server


@pytest.fixture
def people(quiz_setup, make_user):
    root = make_user(username="root", is_superuser=True, is_staff=True)
    province = org.create_unit(
        parent=None, kind=UnitKind.PROVINCE, name="Tỉnh Vĩnh Long", code="VL"
    )
    commune = org.create_unit(
        parent=province, kind=UnitKind.COMMUNE, name="Xã Châu Thành", code="VL-X"
    )
    team = org.create_unit(parent=commune, kind=UnitKind.TEAM, name="Tổ Phú Hòa", code="VL-X-T1")
    member = make_user(
        username="0912345678", full_name="Nguyễn Thị Ánh Tuyết", phone="+84912345678"
    )
    other = make_user(username="0912345679", full_name="Lê Văn Bình", phone="+84912345679")
    for person in (member, other):
        org.assign_role(by=root, user=person, unit=team, role=Role.MEMBER)
    # A certificate someone checks while Redis is away.
    holder_completion = CourseCompletion.objects.create(user=other, course=quiz_setup.course)
    holder_certificate = certificate_services.issue_certificate(completion_id=holder_completion.pk)
    quiz = quiz_setup.quiz
    quiz.max_attempts = 0  # as many attempts as the test submits
    quiz.one_question_per_screen = False
    # Three questions an attempt: this test is about the outage, not the quiz.
    quiz.draw_rules = [
        QuizDrawRule(topic=quiz_setup.scams, count=1),
        QuizDrawRule(topic=quiz_setup.security, count=1),
    ]
    quiz.save_revision().publish()
    return member, other, holder_certificate


def _login(client, username):
    response = client.post("/account/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def _submit_once(client, quiz_url: str) -> None:
    response = client.post(quiz_url)
    assert response.status_code == 302, response.status_code
    attempt = Attempt.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))
    answers = {f"q-{q}": choices for q, choices in right_answers(attempt).items()}
    response = client.post(f"/quiz/attempts/{attempt.pk}/answer/", {**answers, "action": "submit"})
    assert response.status_code == 302  # to the "submit now?" check
    response = client.post(f"/quiz/attempts/{attempt.pk}/submit/", {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/quiz/attempts/{attempt.pk}/result/")


def test_the_site_works_without_redis_and_catches_up_once_it_is_back(
    redis, people, quiz_setup, client
):
    member, other, holder_certificate = people
    client.defaults["HTTP_HOST"] = "localhost"
    _login(client, member.username)
    assert client.get("/me/").status_code == 200  # the session is in Redis now
    from django.test import Client

    leaving = Client(HTTP_HOST="localhost")
    _login(leaving, other.username)
    assert leaving.get("/me/").status_code == 200
    healthy = client.get("/healthz")
    assert healthy.status_code == 200, healthy.content

    redis.stop()

    # Health says which dependency is down, quickly.
    started = time.monotonic()
    health = client.get("/healthz")
    assert health.status_code == 503
    checks = json.loads(health.content)["checks"]
    assert checks["database"]["status"] == "ok"
    assert checks["cache"]["status"] == "down" and checks["broker"]["status"] == "down"
    assert time.monotonic() - started < 3

    # Every member page, with the session read from the database.
    for url in (
        "/",
        "/me/",
        "/courses/",
        quiz_setup.course.url,
        quiz_setup.lesson.url,
        quiz_setup.quiz.url,
        "/me/certificates/",
        "/me/notifications/",
        "/search/?q=lua+dao",
        "/verify/",
        f"/verify/{holder_certificate.code}/",
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200, (url, response.status_code)
        assert "/account/login/" not in response.request["PATH_INFO"], url
    assert "Chứng chỉ hợp lệ" in client.get(f"/verify/{holder_certificate.code}/").content.decode()
    # The content version falls back to one of this process's own.
    assert content_cache.version().startswith("local-")

    # Logging in and out, and writes.
    fresh = Client(HTTP_HOST="localhost")
    _login(fresh, member.username)
    assert fresh.get("/me/").status_code == 200
    assert leaving.post("/account/logout/").status_code == 302
    response = client.post(f"/lessons/{quiz_setup.lesson.pk}/complete/")
    assert response.status_code == 302

    # 100 quiz submissions, each committed; the follow-up work waits in the outbox.
    started = time.monotonic()
    for _ in range(SUBMISSIONS):
        _submit_once(client, quiz_setup.quiz.url)
    submit_seconds = time.monotonic() - started
    graded = Attempt.objects.filter(user=member, state="SUBMITTED", passed=True)
    assert graded.count() == SUBMISSIONS
    follow_ups = OutboxMessage.objects.filter(task_name="quizzes.tasks.after_attempt_graded")
    assert follow_ups.filter(dispatched_at__isnull=True).count() == SUBMISSIONS
    assert not GradedAttemptStats.objects.exists()
    assert not CourseCompletion.objects.filter(user=member).exists()
    assert submit_seconds < SUBMISSIONS * 0.5, submit_seconds  # no request waits for Redis

    # Redis is back on the same port; a real worker (sharing the cache) catches up.
    redis.start()
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    worker_env = {"REDIS_URL": redis.url, "TEST_WORKER_CACHE_URL": redis.url}
    with running_worker(queue="celery", env=worker_env):
        send("common.tasks.dispatch_pending_outbox", queue="celery")
        assert wait_for(lambda: GradedAttemptStats.objects.count() == SUBMISSIONS, timeout=90)
        assert wait_for(lambda: Certificate.objects.filter(user=member).exists())
        # The sweep again, and again: nothing is done twice.
        send("common.tasks.dispatch_pending_outbox", queue="celery")
        send("common.tasks.dispatch_pending_outbox", queue="celery")
        assert wait_for(lambda: client.get("/healthz").status_code == 200, timeout=30)
    assert not OutboxMessage.objects.filter(dispatched_at__isnull=True).exists()
    assert GradedAttemptStats.objects.count() == SUBMISSIONS
    answered = sum(QuestionStat.objects.values_list("answered", flat=True))
    assert answered == SUBMISSIONS * len(Attempt.objects.first().served)
    assert CourseCompletion.objects.filter(user=member).count() == 1
    assert Certificate.objects.filter(user=member).count() == 1
    assert Notification.objects.filter(user=member, kind=Kind.CERTIFICATE_ISSUED).count() == 1
    assert leaving.get("/me/").status_code == 302
    assert client.get("/me/").status_code == 200
    assert fresh.get("/me/").status_code == 200
    assert not content_cache.version().startswith("local-")


@pytest.fixture
def kept_redis(settings, tmp_path):
    """A Redis that keeps its data across a restart (as one with persistence would)."""
    with private_redis(keep_data_in=tmp_path) as server:
        settings.CACHES = {
            "default": {"BACKEND": "common.cache.RedisCache", "LOCATION": server.url}
        }
        with celery_broker(server.url):
            yield server


def test_what_changed_while_redis_was_away_does_not_come_back_from_it(
    kept_redis, people, monkeypatch
):
    from common import cache as soft_cache

    monkeypatch.setattr(soft_cache, "RETRY_AFTER", 0.2)
    member, other, _certificate = people
    from django.test import Client

    leaving, staying = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    _login(leaving, member.username)
    _login(staying, other.username)
    assert leaving.get("/me/").status_code == staying.get("/me/").status_code == 200
    old_version = content_cache.version()

    old_cookie = leaving.cookies["sessionid"].value
    kept_redis.stop()
    assert leaving.post("/account/logout/").status_code == 302  # the database forgets it
    content_cache.invalidate()  # an editor publishes
    kept_redis.start()
    time.sleep(0.3)

    # Redis still holds the session and the version as they were; neither is used again,
    # even by whoever kept the old session cookie.
    leaving.cookies["sessionid"] = old_cookie
    assert leaving.get("/me/").status_code == 302
    assert staying.get("/me/").status_code == 200
    assert content_cache.version() != old_version


def test_a_hung_redis_costs_one_short_timeout_now_and_then(redis, people):
    member, _other, certificate = people
    from django.test import Client

    visitor = Client(HTTP_HOST="localhost")
    _login(visitor, member.username)
    redis.freeze()  # accepts connections, never answers
    try:
        started = time.monotonic()
        for n in range(35):  # beyond the 30 look-ups the rate limit allows: it fails open
            if n % 5 == 0:
                assert visitor.get("/me/").status_code == 200
            assert visitor.get(f"/verify/{certificate.code}/").status_code == 200
        elapsed = time.monotonic() - started
    finally:
        redis.thaw()
    # One wait of the socket timeout (0.5 s), then the cache is left alone for a while.
    assert elapsed < 8, elapsed
