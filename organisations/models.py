from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from common.fields import NFCCharField
from common.models import ImportJob


class UnitKind(models.TextChoices):
    NATION = "NATION", _("Nation")
    PROVINCE = "PROVINCE", _("Province / city")
    COMMUNE = "COMMUNE", _("Commune / ward / special zone")
    HAMLET = "HAMLET", _("Hamlet / residential group")
    TEAM = "TEAM", _("Community digital technology team")


# Which kinds may sit directly under which. A team may hang under a hamlet or straight
# under a commune (the commune-level team).
ALLOWED_PARENT_KINDS = {
    UnitKind.NATION: {None},
    UnitKind.PROVINCE: {None, UnitKind.NATION},
    UnitKind.COMMUNE: {UnitKind.PROVINCE},
    UnitKind.HAMLET: {UnitKind.COMMUNE},
    UnitKind.TEAM: {UnitKind.COMMUNE, UnitKind.HAMLET},
}


class OrgUnit(MP_Node):
    """A unit of the administrative tree: nation › province › commune › hamlet › team.

    Units are never deleted: a merged unit gets `valid_to` and a `successor`, so figures
    from before the merger stay reportable.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=UnitKind.choices)
    name = NFCCharField(_("name"), max_length=200)
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("A unique code, used in roster files (e.g. VL-X01-T03)."),
    )
    local_label = NFCCharField(
        _("local label"),
        max_length=60,
        blank=True,
        help_text=_("What the unit is called locally: thôn, ấp, bản, tổ dân phố, khu phố…"),
    )
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        verbose_name=_("merged into"),
    )

    node_order_by = None

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [models.Index(fields=["kind", "path"])]

    def __str__(self):
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_to is None or self.valid_to > timezone.localdate()

    def clean(self):
        super().clean()
        parent = self.get_parent() if self.pk or self.depth else None
        check_parent_kind(kind=self.kind, parent=parent)


class UnitPlacement(models.Model):
    """Where a unit sat before it was moved (by a merger): under `parent` from `valid_from`
    until `valid_to`. The tree itself is the present; these rows are the past, so reports
    for a date before a merger see the units as they were then (`organisations.history`)."""

    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="placements", verbose_name=_("unit")
    )
    parent = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="former_children",
        verbose_name=_("parent"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("former placement")
        verbose_name_plural = _("former placements")
        ordering = ["unit", "valid_to"]
        indexes = [models.Index(fields=["valid_to"], name="placement_valid_to_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")),
                name="placement_ends_after_it_starts",
            ),
            models.UniqueConstraint(fields=["unit", "valid_to"], name="one_move_per_unit_and_day"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.parent} · {self.valid_from} – {self.valid_to}"


def check_parent_kind(*, kind: str, parent: "OrgUnit | None") -> None:
    allowed = ALLOWED_PARENT_KINDS.get(kind, set())
    parent_kind = parent.kind if parent else None
    if parent_kind not in allowed:
        raise ValidationError(
            _("A %(kind)s cannot be placed under %(parent)s."),
            code="invalid_parent",
            params={
                "kind": UnitKind(kind).label.lower(),
                "parent": UnitKind(parent_kind).label.lower()
                if parent_kind
                else _("the top of the tree"),
            },
        )


class Role(models.TextChoices):
    MEMBER = "MEMBER", _("Member")
    LEADER = "LEADER", _("Team leader")
    DEPUTY = "DEPUTY", _("Deputy team leader")
    TRAINER = "TRAINER", _("Trainer")
    UNIT_ADMIN = "UNIT_ADMIN", _("Unit administrator")


TEAM_ROLES = (Role.MEMBER, Role.LEADER, Role.DEPUTY)
# Roles that see a part of the tree: an administrator their subtree, a leader their team.
SCOPE_ROLES = (Role.UNIT_ADMIN, Role.LEADER, Role.DEPUTY)


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on), started_on__lte=on)


class Membership(models.Model):
    """Who belongs to which unit in which role, and when. Ended, never deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    affiliation = NFCCharField(
        _("affiliation"),
        max_length=120,
        blank=True,
        help_text=_("Youth Union, Women's Union, police, telecom…"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # One team at a time: at most one open team membership per person.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(ended_on__isnull=True, role__in=["MEMBER", "LEADER", "DEPUTY"]),
                name="one_open_team_membership",
            ),
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                condition=Q(ended_on__isnull=True),
                name="one_open_membership_per_unit_and_role",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(
                fields=["unit", "role"],
                condition=Q(ended_on__isnull=True),
                name="open_membership_idx",
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class RosterImport(ImportJob):
    """A roster file, checked by a worker against everything the database will enforce,
    previewed, then imported by a worker 500 rows at a time, each chunk committed with its
    progress, so a worker that dies is followed by another that carries on from the next
    chunk (`common.jobs`)."""

    job_task = "organisations.tasks.run_roster_import"
    upload_folder = "rosters"

    created_count = models.PositiveIntegerField(_("members created"), default=0)
    updated_count = models.PositiveIntegerField(_("members updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("rows unchanged"), default=0)
    skipped_count = models.PositiveIntegerField(_("rows skipped"), default=0)
    # Who confirmed that the members on the list were told what the platform does with
    # their data (the privacy notice), and when: required to import.
    members_informed_at = models.DateTimeField(
        _("members informed (confirmed at)"), null=True, blank=True
    )

    class Meta(ImportJob.Meta):
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
