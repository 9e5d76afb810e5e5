"""Issue 17: nothing is submitted or lost by accident; issue 15: one answer POST does bounded
work whatever it carries."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quizzes import services
from quizzes.models import Attempt, Response
from tests.quizzes.conftest import right_answers, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(make_user):
    return make_user(username="thanhvien")


@pytest.fixture
def started(client, quiz_setup, member):
    client.force_login(member)
    client.post(quiz_setup.quiz.url)
    return Attempt.objects.get(user=member)


def test_question_numbers_previous_and_next_save_the_choice(client, started):
    first, third = started.served[0], started.served[2]
    page = client.get(reverse("quizzes:attempt", args=[started.pk])).content.decode()
    # The numbers are buttons of the answer form, so moving submits the choice (no JS needed).
    assert re.search(r'<button type="submit" name="go" value="3" class="qnum', page)
    assert 'action="/quiz/attempts/' in page and "Câu trước" not in page  # on question 1
    reply = client.post(
        reverse("quizzes:answer", args=[started.pk]),
        {f"q-{first['question']}": [first["choices"][1]["id"]], "go": "3"},
    )
    assert reply["Location"].endswith("?q=3")
    assert Response.objects.get(attempt=started, question_id=first["question"]).chosen == [
        first["choices"][1]["id"]
    ]
    page = client.get(reply["Location"]).content.decode()
    assert 'value="2" class="button button-secondary">‹ Câu trước' in page
    assert 'aria-label="Câu 1, đã trả lời"' in page and 'aria-label="Câu 2, chưa trả lời"' in page
    client.post(
        reverse("quizzes:answer", args=[started.pk]),
        {f"q-{third['question']}": [third["choices"][0]["id"]], "go": "2"},
    )
    assert Response.objects.filter(attempt=started).count() == 2


def test_submitting_goes_through_a_check_that_lists_the_unanswered(client, started):
    first = started.served[0]
    reply = client.post(
        reverse("quizzes:answer", args=[started.pk]),
        {f"q-{first['question']}": [first["choices"][0]["id"]], "action": "review"},
    )
    assert reply["Location"] == reverse("quizzes:confirm", args=[started.pk])
    assert Response.objects.filter(attempt=started).count() == 1  # saved on the way
    check = client.get(reply["Location"]).content.decode()
    assert "Bạn còn 9 câu chưa trả lời" in check
    for number in range(2, 11):
        assert f'href="/quiz/attempts/{started.pk}/?q={number}">Câu {number}</a>' in check
    assert "Vẫn nộp bài" in check and 'name="confirm" value="yes"' in check

    # A submit that did not come from the check page is taken there, not graded.
    reply = client.post(reverse("quizzes:submit", args=[started.pk]))
    assert reply["Location"] == reverse("quizzes:confirm", args=[started.pk])
    started.refresh_from_db()
    assert started.is_open

    reply = client.post(reverse("quizzes:submit", args=[started.pk]), {"confirm": "yes"})
    assert reply["Location"] == reverse("quizzes:result", args=[started.pk])
    started.refresh_from_db()
    assert started.state == "SUBMITTED"
    # A closed attempt's check page goes to its result.
    assert client.get(reverse("quizzes:confirm", args=[started.pk]))["Location"].endswith(
        "/result/"
    )


def test_the_check_page_says_when_everything_is_answered(client, started, member):
    for question_id, choice_ids in right_answers(started).items():
        services.save_answer(
            user=member, attempt=started, question_id=question_id, choice_ids=choice_ids
        )
    check = client.get(reverse("quizzes:confirm", args=[started.pk])).content.decode()
    assert "Bạn đã trả lời cả 10 câu" in check and "Nộp bài ngay" in check


def test_submit_is_apart_from_save(client, started):
    page = client.get(reverse("quizzes:attempt", args=[started.pk])).content.decode()
    pager = page.index('class="quiz-pager"')
    finish = page.index('class="quiz-finish"')
    save = page.index("Lưu và sang câu tiếp")
    submit = page.index('value="review"')
    # Saving sits in the pager; submitting is its own section further down, after the hint.
    assert pager < save < finish < submit
    assert "Mỗi câu trả lời được lưu" in page[save:finish]
    assert 'class="button button-finish"' in page[finish:]


def test_one_answer_post_reads_only_the_served_questions(client, started, settings):
    """9,000 fields (foreign question ids, a served one repeated 3,000 times): refused or
    ignored in a few statements, never a lock per field (whatever Django's field limit)."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
    item = started.served[0]
    data = [(f"q-{n}", "1") for n in range(1_000_000, 1_006_000)]
    data += [(f"q-{item['question']}", str(item["choices"][0]["id"]))] * 3000
    body = "&".join(f"{key}={value}" for key, value in data)
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        reply = client.post(
            reverse("quizzes:answer", args=[started.pk]),
            data=body,
            content_type="application/x-www-form-urlencoded",
        )
        elapsed = time.perf_counter() - began
    assert reply.status_code == 302
    assert len(queries) < 15, [q["sql"] for q in queries]
    assert elapsed < 2
    assert not Response.objects.filter(attempt=started).exists()  # 3,000 values for 4 choices

    good = [(f"q-{n}", "1") for n in range(1_000_000, 1_006_000)]
    good.append((f"q-{item['question']}", str(item["choices"][0]["id"])))
    with CaptureQueriesContext(connection) as queries:
        client.post(
            reverse("quizzes:answer", args=[started.pk]),
            data="&".join(f"{k}={v}" for k, v in good),
            content_type="application/x-www-form-urlencoded",
        )
    assert len(queries) < 15
    assert Response.objects.get(attempt=started).question_id == item["question"]


def test_all_answers_of_a_page_are_saved_in_one_go(started, member):
    answers = wrong_answers(started)
    with CaptureQueriesContext(connection) as queries:
        saved, errors = services.save_answers(user=member, attempt=started, answers=answers)
    assert (len(saved), errors) == (10, [])
    assert len(queries) <= 6  # lock, existing rows, quiz mode, one insert (+ savepoints)
    answers = right_answers(started)
    saved, errors = services.save_answers(
        user=member, attempt=started, answers={**answers, 424242: [1]}
    )
    assert errors == ["Câu hỏi này không thuộc bài làm của bạn."]
    assert sorted(r.chosen for r in Response.objects.filter(attempt=started)) == sorted(
        sorted(choices) for choices in answers.values()
    )


def test_javascript_saves_each_choice_as_it_is_made(client, started):
    item = started.served[0]
    url = reverse("quizzes:answer", args=[started.pk])
    ok = client.post(
        url, {f"q-{item['question']}": [item["choices"][2]["id"]]}, headers={"X-Autosave": "1"}
    )
    assert ok.status_code == 200 and ok.json() == {"saved": True, "errors": []}
    assert Response.objects.get(attempt=started).chosen == [item["choices"][2]["id"]]
    bad = client.post(url, {f"q-{item['question']}": ["999999"]}, headers={"X-Autosave": "1"})
    assert bad.status_code == 400 and bad.json()["errors"] == ["Đáp án này không thuộc câu hỏi."]
    page = client.get(reverse("quizzes:attempt", args=[started.pk])).content.decode()
    assert "/static/js/quiz.js" in page and "<script>" not in page  # a static file, CSP-friendly


def test_the_review_names_right_wrong_and_both_answers(client, started, member):
    answers = wrong_answers(started)
    first = started.served[0]
    answers[first["question"]] = [c["id"] for c in first["choices"] if c["correct"]]
    del answers[started.served[1]["question"]]
    for question_id, choice_ids in answers.items():
        services.save_answer(
            user=member, attempt=started, question_id=question_id, choice_ids=choice_ids
        )
    client.post(reverse("quizzes:submit", args=[started.pk]), {"confirm": "yes"})
    html = client.get(reverse("quizzes:result", args=[started.pk])).content.decode()
    assert html.count('class="verdict verdict-right">✔ Đúng') == 1
    assert html.count('class="verdict verdict-none">Chưa trả lời') == 1
    assert html.count('class="verdict verdict-wrong">✘ Sai') == 8
    chosen = sum(len(choice_ids) for choice_ids in answers.values())  # a multiple choice: 2
    assert html.count('<span class="tag tag-chosen">Bạn chọn</span>') == chosen
    assert html.count("✔ Đáp án đúng</span>") >= 10
    assert html.count("Bạn chọn: <strong>") == 10 and "Bạn chọn: <strong>không chọn" in html
    assert 'class="quiz-form quiz-review"' in html
    # The review container no longer shares a class with the amber "study again" label.
    css = Path(settings.BASE_DIR, "site/static/css/site.css").read_text()
    assert not re.search(r"(^|[\s,}])\.review(?!-)\b", css)
