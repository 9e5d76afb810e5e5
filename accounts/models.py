import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.fields import NFCCharField

from .phone import normalize_phone

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: a code read aloud or off a printed list must not be mistyped.
ACTIVATION_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
ACTIVATION_CODE_LENGTH = 8


class User(AbstractUser):
    """A person on the platform. Members log in with their phone number.

    Vietnamese names are written family name first: `last_name` holds the family and
    middle names ("Nguyễn Thị Ánh"), `first_name` the given name ("Tuyết"), by which
    lists are sorted.
    """

    first_name = NFCCharField(_("given name"), max_length=150, blank=True)
    last_name = NFCCharField(_("family and middle names"), max_length=150, blank=True)
    phone = models.CharField(
        _("phone number"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Stored as +84…; 0912 345 678 and +84 912 345 678 are the same number."),
    )
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # Set when the person's data was erased at their request (or by the retention job):
    # the account stays for the figures but can never be used, changed or revived.
    erased_at = models.DateTimeField(_("data erased at"), null=True, blank=True, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.full_name or self.username

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def erased_label(self) -> str:
        return _("Member whose data was erased (#%(id)s)") % {"id": self.pk}

    @property
    def full_name(self) -> str:
        if self.erased_at is not None:
            return str(self.erased_label)
        return " ".join(part for part in (self.last_name, self.first_name) if part)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name or self.username

    def clean(self):
        super().clean()
        if self.phone:
            self.phone = normalize_phone(self.phone)
        else:
            self.phone = None


def split_full_name(full_name: str) -> tuple[str, str]:
    """("Nguyễn Thị Ánh Tuyết") -> ("Nguyễn Thị Ánh", "Tuyết"): family+middle, given."""
    parts = full_name.split()
    if not parts:
        return "", ""
    return " ".join(parts[:-1]), parts[-1]


def generate_activation_code() -> str:
    return "".join(secrets.choice(ACTIVATION_ALPHABET) for _ in range(ACTIVATION_CODE_LENGTH))


class ActivationCode(models.Model):
    """A one-time code that lets a member log in once and choose a password.

    Kept readable (not hashed) until it is used or expires, because a team leader
    prints the codes of their team to hand them out; it is cleared once used.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="activation_codes",
        verbose_name=_("user"),
    )
    code = models.CharField(_("code"), max_length=ACTIVATION_CODE_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("activation code")
        verbose_name_plural = _("activation codes")
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self):
        return f"{self.user} ({self.created_at:%d/%m/%Y})"

    @property
    def display_code(self) -> str:
        half = ACTIVATION_CODE_LENGTH // 2
        return f"{self.code[:half]}-{self.code[half:]}" if self.code else ""

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            bool(self.code) and not self.used_at and not self.revoked_at and self.expires_at > now
        )
