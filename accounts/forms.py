from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.users.forms import UserCreationForm, UserEditForm

from common.text import nfc
from common.validators import validate_plain_text

from .models import User, split_full_name
from .phone import normalize_phone

# One message for unknown user, wrong password and locked account: nothing to probe.
LOGIN_FAILED_MESSAGE = _(
    "The phone number (or username) and password do not match, or the account is "
    "temporarily locked after too many attempts. Check them and try again in a few minutes."
)


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Phone number or username"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "inputmode": "text"}
        ),
    )
    password = forms.CharField(
        label=_("Password or activation code"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": LOGIN_FAILED_MESSAGE,
        "inactive": LOGIN_FAILED_MESSAGE,
    }


class _PersonFieldsMixin(forms.Form):
    """Full name and phone on Wagtail's user screens, in place of first/last name."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=150, validators=[validate_plain_text]
    )
    phone = forms.CharField(
        label=_("Phone number"), max_length=40, required=False, validators=[validate_plain_text]
    )
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    first_name = None
    last_name = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk:
            self.initial.setdefault("full_name", self.instance.full_name)

    def clean_full_name(self):
        value = " ".join(nfc(self.cleaned_data["full_name"]).split())
        if not value:
            raise forms.ValidationError(_("Enter the full name."))
        return value

    def clean_phone(self):
        raw = self.cleaned_data.get("phone", "").strip()
        if not raw:
            return None
        phone = normalize_phone(raw)
        clash = User.objects.filter(phone=phone).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another account already uses this phone number."))
        return phone

    def save(self, commit=True):
        user = super().save(commit=False)
        user.last_name, user.first_name = split_full_name(self.cleaned_data["full_name"])
        if commit:
            user.save()
            self.save_m2m()
        return user


class AdminUserCreationForm(_PersonFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = {"username", "email", "phone", "is_superuser", "groups"}


class AdminUserEditForm(_PersonFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = {"username", "email", "phone", "is_active", "is_superuser", "groups"}


class AdminLoginForm(WagtailLoginForm):
    """Wagtail's admin login with labels that translate (Wagtail leaves the password field
    unlabelled, so Django shows its English field name)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
        self.fields["remember"].label = _("Remember me")
