"""An erased account is a state (`User.erased_at`): nothing can change, reactivate or revive
it, through any screen or service, and the erased person is not found in searches."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import services as account_services
from accounts.models import ActivationCode, User
from organisations.models import Membership, Role
from privacy import services

from .test_erasure import REASON

pytestmark = pytest.mark.django_db

ERASED_PAGE = "Đã xoá dữ liệu theo yêu cầu"
REFUSED = "đã bị xoá theo yêu cầu"


@pytest.fixture
def erased(tree):
    """member1, erased by the retention job while still on the roster of team T1 (an
    account deactivated long ago): the member page is still in the commune's area."""
    member = tree.member1
    services.erase_member(by=None, member=member, reason=REASON)
    return User.objects.get(pk=member.pk)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_the_member_page_of_an_erased_person_offers_no_action(client, tree, erased):
    for admin in (tree.commune_admin, tree.root):
        client.force_login(admin)
        html = client.get(reverse("organisations_admin:member", args=[erased.pk])).content.decode()
        assert ERASED_PAGE in html
        assert f"Thành viên đã xoá dữ liệu (#{erased.pk})" in html
        assert reverse("organisations_admin:member_new_code", args=[erased.pk]) not in html
        assert reverse("organisations_admin:member_set_active", args=[erased.pk]) not in html
        assert 'name="full_name"' not in html
        assert "Cấp mã kích hoạt mới" not in html


def test_no_screen_revives_or_changes_an_erased_account(client, tree, erased):
    client.force_login(tree.commune_admin)
    member_url = reverse("organisations_admin:member", args=[erased.pk])
    new_code = client.post(
        reverse("organisations_admin:member_new_code", args=[erased.pk]), follow=True
    )
    assert REFUSED in new_code.content.decode()
    edit = client.post(
        member_url,
        {"full_name": "Nguyễn Văn Sống", "phone": "0912000111", "email": ""},
        follow=True,
    )
    assert REFUSED in edit.content.decode()
    active = client.post(
        reverse("organisations_admin:member_set_active", args=[erased.pk]),
        {"active": "0"},
        follow=True,
    )
    assert REFUSED in active.content.decode()
    role = client.post(
        reverse("organisations_admin:member_assign_role", args=[erased.pk]),
        {"unit_code": "P-X-T2", "role": Role.MEMBER},
        follow=True,
    )
    assert REFUSED in role.content.decode()
    client.force_login(tree.root)
    reset = reverse("accounts_admin:reset_password", args=[erased.pk])
    assert client.get(reset).status_code == 404
    assert client.post(reset).status_code == 404

    after = User.objects.get(pk=erased.pk)
    assert (after.phone, after.first_name, after.is_active) == (None, "", erased.is_active)
    assert not ActivationCode.objects.filter(user=erased).exists()
    assert not Membership.objects.filter(user=erased, unit=tree.t2).exists()


def test_every_service_refuses_an_erased_person(tree, erased):
    from organisations import services as org

    attempts = [
        lambda: account_services.issue_activation_code(user=erased),
        lambda: account_services.issue_activation_code(user=erased, by=tree.root),
        lambda: org.update_member(
            by=tree.root, member=erased, full_name="Nguyễn Văn Sống", phone="0912000111"
        ),
        lambda: org.set_member_active(by=tree.root, member=erased, active=True),
        lambda: org.assign_role(by=tree.root, user=erased, unit=tree.t2, role=Role.MEMBER),
        lambda: services.erase_member(by=tree.root, member=erased, reason=REASON),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.code in ("erased", "refused")


def test_an_erased_account_cannot_log_in_even_with_a_code_or_a_password(client, tree, erased):
    # Whatever got written around the services: a code and a password on the account.
    code = ActivationCode.objects.create(
        user=erased, code="ACDEFGHJ", expires_at=tree.root.date_joined.replace(year=2100)
    )
    User.objects.filter(pk=erased.pk).update(password=tree.root.password)
    for password in (code.code, "Mat-khau-rat-dai-1"):
        response = client.post(
            "/account/login/", {"username": erased.username, "password": password}
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    # A session left over from before the erasure is not honoured either.
    client.force_login(erased)
    assert client.get(reverse("privacy:my_data")).status_code == 302


def test_erased_people_are_not_found_in_searches_of_members(client, tree, erased):
    client.force_login(tree.root)
    for url in (reverse("organisations_admin:search"), reverse("privacy_admin:erase_search")):
        html = client.get(url, {"q": erased.username}).content.decode()
        assert reverse("organisations_admin:member", args=[erased.pk]) not in html
        assert reverse("privacy_admin:erase", args=[erased.pk]) not in html


def test_nobody_may_act_on_an_erased_person_in_bulk_either(tree, erased):
    from accounts.authority import may_act_on
    from organisations.authority import actable_member_ids

    for actor in (tree.root, tree.commune_admin, tree.leader):
        assert not may_act_on(actor, erased)
        assert actable_member_ids(actor, [erased.pk, tree.member2.pk]) <= {tree.member2.pk}
    assert tree.member2.pk in actable_member_ids(tree.root, [erased.pk, tree.member2.pk])
