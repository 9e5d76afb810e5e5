import pytest
from django.urls import reverse

from accounts import services
from accounts.forms import LOGIN_FAILED_MESSAGE
from accounts.models import User

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
PASSWORD = "Mat-khau-rat-dai-1"


def login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def failure_text():
    from django.utils import translation

    with translation.override("vi"):
        return str(LOGIN_FAILED_MESSAGE)


@pytest.fixture
def member(make_user):
    return make_user(full_name="Lê Văn Bình", phone="+84912345678", username="binh")


@pytest.mark.parametrize(
    "typed", ["0912 345 678", "+84 912 345 678", "84912345678", "binh", "BINH"]
)
def test_login_by_phone_in_any_form_or_by_username(client, home_page, member, typed):
    response = login(client, typed, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_wrong_password_and_unknown_user_get_the_same_vietnamese_message(client, home_page, member):
    wrong = login(client, "0912345678", "sai-mat-khau").content.decode()
    unknown = login(client, "0999999999", "sai-mat-khau").content.decode()
    assert failure_text() in wrong
    assert failure_text() in unknown
    assert "_auth_user_id" not in client.session


def test_lockout_after_the_limit_shows_the_same_message_even_with_the_right_password(
    client, home_page, member, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "0912345678", "sai-mat-khau")
    locked = login(client, "+84 912 345 678", PASSWORD)
    assert locked.status_code == 200
    assert failure_text() in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_is_keyed_on_username_and_ip_not_ip_alone(
    client, home_page, member, make_user, settings
):
    make_user(full_name="Phạm Thị Cúc", phone="+84987654321", username="cuc")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "0912345678", "sai-mat-khau")
    # Another member behind the same carrier IP is not locked out.
    assert login(client, "0987654321", PASSWORD).status_code == 302


def test_inactive_account_gets_the_generic_message(client, home_page, member):
    member.is_active = False
    member.save()
    assert failure_text() in login(client, "binh", PASSWORD).content.decode()


def test_first_login_with_activation_code_requires_choosing_a_password(
    client, home_page, make_user
):
    newcomer = make_user(full_name="Đỗ Thị Duyên", phone="+84911222333", username="duyen")
    newcomer.set_unusable_password()
    newcomer.save()
    activation = services.issue_activation_code(user=newcomer)

    response = login(client, "0911 222 333", activation.display_code.lower())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:choose_password")
    # Until a password is chosen, every other page sends the member back, and the menu
    # offers nothing else than logging out (the member's trial: it offered everything).
    assert client.get("/").headers["Location"] == reverse("accounts:choose_password")
    page = client.get(reverse("accounts:choose_password")).content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    assert reverse("accounts:logout") in header
    for name in ("courses:catalogue", "courses:my_learning", "notifications:inbox"):
        assert f'href="{reverse(name)}"' not in header

    weak = client.post(
        reverse("accounts:choose_password"), {"new_password1": "123", "new_password2": "123"}
    )
    assert weak.status_code == 200
    assert not User.objects.get(pk=newcomer.pk).has_usable_password()

    done = client.post(
        reverse("accounts:choose_password"),
        {"new_password1": "Hoc-ky-nang-so-2026", "new_password2": "Hoc-ky-nang-so-2026"},
    )
    assert done.status_code == 302
    assert client.get("/").status_code == 200

    client.logout()
    # The code is spent; the new password works.
    assert failure_text() in login(client, "0911222333", activation.code).content.decode()
    assert login(client, "0911222333", "Hoc-ky-nang-so-2026").status_code == 302


def test_expired_or_replaced_codes_do_not_work(client, home_page, make_user):
    newcomer = make_user(phone="+84911222444", username="newcomer")
    first = services.issue_activation_code(user=newcomer)
    second = services.issue_activation_code(user=newcomer)
    assert failure_text() in login(client, "newcomer", first.code).content.decode()
    type(second).objects.filter(pk=second.pk).update(expires_at=second.created_at)
    assert failure_text() in login(client, "newcomer", second.code).content.decode()


def test_member_changes_password(client, home_page, member):
    client.force_login(member)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Moi-mat-khau-2026",
            "new_password2": "Moi-mat-khau-2026",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password("Moi-mat-khau-2026")


def test_password_change_requires_login(client, home_page):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_administrator_resets_a_forgotten_password_with_a_new_code(
    client, home_page, member, make_user
):
    admin = make_user(username="boss", is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("accounts_admin:reset_password", args=[member.pk])
    assert client.get(url).status_code == 200
    assert User.objects.get(pk=member.pk).check_password(PASSWORD)  # GET changes nothing

    response = client.post(url)
    assert response.status_code == 200
    code = response.context["activation"].code
    assert response.context["activation"].display_code in response.content.decode()
    member.refresh_from_db()
    assert not member.has_usable_password()

    client.logout()
    assert login(client, "binh", code).status_code == 302


def test_members_cannot_reset_passwords(client, home_page, member, make_user):
    other = make_user(username="other", phone="+84933444555")
    client.force_login(member)
    response = client.post(reverse("accounts_admin:reset_password", args=[other.pk]))
    assert response.status_code in (302, 403)
    other.refresh_from_db()
    assert other.has_usable_password()


def test_lockout_counts_every_identifier_of_one_account_together(
    client, home_page, member, settings
):
    """Username and the phone in any form are one account: 5 tries in all, not 5 each."""
    typed = ["binh", "0912345678", "+84 912 345 678", "BINH", "84912345678"]
    assert len(typed) == settings.AXES_FAILURE_LIMIT
    for identifier in typed:
        login(client, identifier, "sai-mat-khau")
    for identifier in ("binh", "0912 345 678"):
        locked = login(client, identifier, PASSWORD)
        assert failure_text() in locked.content.decode()
        assert "_auth_user_id" not in client.session


def test_lockout_holds_for_that_address_only(client, home_page, member, settings):
    """The account is locked for the address that guessed, not for everyone: members
    behind another address (or the real owner at home) still log in."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "binh", "password": "sai"}, REMOTE_ADDR="203.0.113.7")
    from_guesser = client.post(
        LOGIN, {"username": "binh", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert failure_text() in from_guesser.content.decode()
    owner = client.post(
        LOGIN, {"username": "0912345678", "password": PASSWORD}, REMOTE_ADDR="198.51.100.20"
    )
    assert owner.status_code == 302
