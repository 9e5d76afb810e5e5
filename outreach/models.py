from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.fields import NFCCharField

MAX_RESIDENTS = 500
NOTE_LENGTH = 300


class HelpKind(models.TextChoices):
    VNEID = "VNEID", _("VNeID activated to level 2")
    PUBLIC_SERVICE = "PUBLIC_SERVICE", _("Online public service filed")
    CASHLESS = "CASHLESS", _("Non-cash payment set up")
    SCAM = "SCAM", _("Scam warned or reported")
    APP = "APP", _("App installed")
    OTHER = "OTHER", _("Other help")


# The topic whose course trains for each kind of help (topic slugs of the curriculum), so
# a report can set the course's completion beside the help it prepares for.
KIND_TOPICS: dict[str, str] = {
    HelpKind.VNEID: "ung-dung-va-dich-vu-cong-moi",
    HelpKind.PUBLIC_SERVICE: "ung-dung-va-dich-vu-cong-moi",
    HelpKind.APP: "ung-dung-va-dich-vu-cong-moi",
    HelpKind.CASHLESS: "thanh-toan-so",
    HelpKind.SCAM: "lua-dao-truc-tuyen",
}


class OutreachEntry(models.Model):
    """Help a member gave residents on one day, in one hamlet, of one kind: counts only.
    Nothing about the residents is asked for or kept (no name, phone or ID number; the note
    is checked for them). `team` is the member's team when it was recorded, so a team's
    figures keep the work of members who later moved."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="outreach_entries",
        verbose_name=_("member"),
    )
    team = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="outreach_entries",
        verbose_name=_("team"),
    )
    place = models.ForeignKey(
        "organisations.OrgUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hamlet"),
    )
    helped_on = models.DateField(_("date"))
    kind = models.CharField(_("kind of help"), max_length=16, choices=HelpKind.choices)
    residents = models.PositiveSmallIntegerField(
        _("residents helped"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RESIDENTS)],
    )
    note = NFCCharField(_("short note"), max_length=NOTE_LENGTH, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outreach entry")
        verbose_name_plural = _("outreach entries")
        ordering = ["-helped_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(residents__gte=1, residents__lte=MAX_RESIDENTS),
                name="outreach_residents_in_range",
            )
        ]
        indexes = [
            models.Index(fields=["team", "helped_on"]),
            models.Index(fields=["user", "helped_on"]),
        ]

    def __str__(self):
        return f"{self.user} · {self.helped_on} · {self.get_kind_display()} · {self.residents}"


class OutreachTarget(models.Model):
    """A campaign's target for the help its members give: of one kind, so many residents
    per member within a period (by default the campaign's own dates)."""

    campaign = models.ForeignKey(
        "training.Campaign",
        on_delete=models.CASCADE,
        related_name="outreach_targets",
        verbose_name=_("campaign"),
    )
    kind = models.CharField(_("kind of help"), max_length=16, choices=HelpKind.choices)
    per_member = models.PositiveSmallIntegerField(
        _("residents per member"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("outreach target")
        verbose_name_plural = _("outreach targets")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="one_target_per_kind"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="target_period_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.get_kind_display()} · {self.per_member}"
