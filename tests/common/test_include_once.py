"""The site menu is shown twice on every page (a phone's folding menu, a wide screen's
row) and rendered once (`common/templatetags/once.py`)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_site_menu_is_rendered_once_and_shown_in_both_places(
    client, django_user_model, signed_in
):
    if signed_in:
        user = django_user_model.objects.create_user(username="menu", password="x" * 12)
        client.force_login(user)
    response = client.get(reverse("courses:search"), follow=True)
    assert response.status_code == 200
    rendered = [t.name for t in response.templates]
    assert rendered.count("includes/nav_links.html") == 1
    html = response.content.decode()
    assert html.count(f'href="{reverse("courses:search")}"') == 2
    logout = f'action="{reverse("accounts:logout")}"'
    assert html.count(logout) == (2 if signed_in else 0)


def test_the_menu_leads_people_with_an_admin_role_to_the_administration(client, django_user_model):
    """The member's trial: a team leader's site menu had no way to the admin pages they
    use (activation codes for their team)."""
    from django.contrib.auth.models import Permission

    leader = django_user_model.objects.create_user(username="leader", password="x" * 12)
    leader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    member = django_user_model.objects.create_user(username="member", password="x" * 12)
    admin_link = 'href="/admin/"'
    client.force_login(leader)
    assert admin_link in client.get(reverse("courses:search")).content.decode()
    client.force_login(member)
    assert admin_link not in client.get(reverse("courses:search")).content.decode()


def test_fixed_urls_are_the_reversed_urls_in_each_language():
    from django.template import Context, Template
    from django.utils import translation

    template = Template(
        '{% load once %}{% fixed_url "courses:search" %}|{% url "courses:search" %}'
    )
    for language in ("vi", "en"):
        with translation.override(language):
            fixed, reversed_ = template.render(Context()).split("|")
            assert fixed == reversed_
