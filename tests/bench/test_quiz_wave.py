"""bench/quiz_wave.py drives the real screens: its member's flow is run here against the
app through Django's test client, so a changed screen or redirect breaks this test before it
breaks a benchmark run; and its read-back finds an answer the server claimed but lost."""

import asyncio
import random
from types import SimpleNamespace

import pytest
from django.test import Client

from bench import quiz_wave
from quizzes.models import Attempt, AttemptState, Response

# The flow runs in asyncio tasks, whose database connections are not the test's own: the
# data is committed for them to see.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def no_waiting(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the test client inside asyncio
    monkeypatch.setattr(quiz_wave, "DWELL", {"rules": (0, 0), "check": (0, 0)})
    return SimpleNamespace(minutes=0, start_window=0)


def through_the_test_client(users, *, drop_answer: int | None = None):
    """quiz_wave.http over Django's test client; `drop_answer`: that answer POST (counted
    from 1) gets the success redirect without reaching the app, as a server losing it."""
    clients = {}
    for user in users:
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    answers = {"n": 0}

    async def http(method, path, key, form=""):
        client = clients[key]
        if method == "GET":
            response = client.get(path)
        else:
            if path.endswith("/answer/"):
                answers["n"] += 1
                if answers["n"] == drop_answer:
                    go = dict(part.split("=") for part in form.split("&"))["go"]
                    return quiz_wave.Reply(302, f"{path[: -len('answer/')]}?q={go}", "")
            response = client.post(path, form, content_type="application/x-www-form-urlencoded")
        return quiz_wave.Reply(
            response.status_code, response.get("Location", ""), response.content.decode()
        )

    return http


def test_a_member_goes_through_every_screen_and_nothing_is_lost(
    monkeypatch, quiz_setup, make_user, no_waiting
):
    members = [make_user(username=f"xa-{n}", phone=None) for n in range(3)]
    monkeypatch.setattr(quiz_wave, "http", through_the_test_client(members))
    tally, _ = asyncio.run(
        quiz_wave.wave([m.username for m in members], quiz_setup.quiz.url, no_waiting, seed=1)
    )
    assert tally.finished == 3, tally.error_samples
    assert sum(tally.errors.values()) == 0
    assert {step: len(v) for step, v in tally.latencies.items()} == {
        "quiz page": 3,
        "start": 3,
        "question": 30,
        "answer": 30,
        "check": 3,
        "submit": 3,
        "result": 3,
    }
    attempts = Attempt.objects.filter(user__in=members)
    assert sorted(tally.submitted) == sorted(a.pk for a in attempts)
    assert all(a.state == AttemptState.SUBMITTED and a.percent is not None for a in attempts)
    assert Response.objects.filter(attempt__in=attempts).count() == 30
    assert quiz_wave.verify(tally) == {
        "answers ok": 30,
        "lost answers": 0,
        "submitted ok": 3,
        "lost submits": 0,
        "follow-up done": 3,  # in-process here (no broker)
    }


def test_an_answer_claimed_but_not_stored_is_counted_lost(
    monkeypatch, quiz_setup, make_user, no_waiting
):
    member = make_user(username="xa-mat", phone=None)
    monkeypatch.setattr(quiz_wave, "http", through_the_test_client([member], drop_answer=4))
    tally, _ = asyncio.run(quiz_wave.wave([member.username], quiz_setup.quiz.url, no_waiting, 2))
    assert tally.finished == 1
    checked = quiz_wave.verify(tally)
    assert checked["answers ok"] == 10
    assert checked["lost answers"] == 1
    assert checked["lost submits"] == 0
    attempt = Attempt.objects.get(user=member)
    attempt.state = AttemptState.OPEN  # as if the submit had been lost too
    attempt.save()
    assert quiz_wave.verify(tally)["lost submits"] == 1


def test_a_refused_step_is_an_error_and_the_member_stops(
    monkeypatch, quiz_setup, make_user, no_waiting
):
    member = make_user(username="xa-loi", phone=None)

    async def refuse(method, path, key, form=""):
        return quiz_wave.Reply(500, "", "")

    monkeypatch.setattr(quiz_wave, "http", refuse)
    tally, _ = asyncio.run(quiz_wave.wave([member.username], quiz_setup.quiz.url, no_waiting, 3))
    assert tally.finished == 0
    assert tally.errors["quiz page"] == 1
    assert tally.error_samples == ["quiz page: HTTP 500 "]


def test_parsing_a_raw_reply_and_a_question_screen():
    raw = (
        b"HTTP/1.0 302 Found\r\nContent-Type: text/html\r\nLocation: /quiz/attempts/7/?q=2\r\n\r\n"
    )
    assert quiz_wave.parse_reply(raw) == quiz_wave.Reply(302, "/quiz/attempts/7/?q=2", "")
    html = '<input type="radio" name="q-41" value="3"><input type="radio" name="q-41" value="5">'
    assert quiz_wave.choices_on_screen(html) == (41, [3, 5])
    with pytest.raises(ValueError):
        quiz_wave.choices_on_screen(html + '<input name="q-42" value="1">')
    with pytest.raises(ValueError):
        quiz_wave.choices_on_screen("<p>Hết giờ</p>")


def test_think_times_spread_ten_answers_over_the_minutes():
    for seed in range(20):
        times = quiz_wave.think_times(random.Random(seed), 5)
        assert len(times) == 10
        assert 0.85 * 300 <= sum(times) <= 1.15 * 300
        assert min(times) > 0
    assert quiz_wave.percentile([0.2], 95) == 0.2
    assert quiz_wave.percentile([float(n) for n in range(1, 101)], 50) == pytest.approx(50.5)
