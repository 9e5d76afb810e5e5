import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, make_user):
    """A signed-in member: the demo course is members-only, and a visitor who is not signed
    in is shown only lessons anyone may read (tests/security/test_controls.py)."""
    client.force_login(make_user())
    return client


@pytest.mark.parametrize("query", ["lua dao", "Lừa đảo", "LUA DAO", "mao danh cong an", "ma otp"])
def test_search_finds_lessons_with_or_without_diacritics(client, course_tree, query):
    response = client.get(reverse("courses:search"), {"q": query})
    titles = [lesson.title for lesson in response.context["results"]]
    assert "Bài 1: Mạo danh công an" in titles


def test_search_does_not_find_what_is_not_there(client, course_tree):
    assert client.get(reverse("courses:search"), {"q": "bitcoin"}).context["results"] == []


def test_unpublished_lessons_drop_out_of_search(client, course_tree):
    course_tree.lessons[0].unpublish()
    titles = [
        p.title for p in client.get(reverse("courses:search"), {"q": "lua dao"}).context["results"]
    ]
    assert "Bài 1: Mạo danh công an" not in titles
    assert "Bài 2: Mạo danh công an" in titles


def test_decomposed_input_is_searched_like_composed(client, course_tree):
    import unicodedata

    query = unicodedata.normalize("NFD", "lừa đảo")
    assert client.get(reverse("courses:search"), {"q": query}).context["results"]
