from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import IdChoiceField
from common.params import parse_id
from courses.models import CoursePage
from outreach import selectors as outreach
from outreach.models import HelpKind, OutreachTarget
from training.selectors import campaigns_visible_to

from .outreach_selectors import OutreachFilters, default_period

MAX_PERIOD = timedelta(days=366)


class OutreachFilterForm(forms.Form):
    date_from = forms.DateField(
        required=False, label=_("Help given from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label=_("to"), widget=forms.DateInput(attrs={"type": "date"})
    )
    campaign = IdChoiceField(
        queryset=None, required=False, label=_("Campaign"), empty_label=_("No campaign")
    )
    kind = forms.ChoiceField(
        required=False, label=_("Kind of help beside the training"), choices=HelpKind.choices
    )
    course = IdChoiceField(
        CoursePage.objects.none(),
        required=False,
        label=_("Course"),
        empty_label=_("The course of that kind's topic"),
    )

    def __init__(self, data, *, viewer, roots=None):
        campaigns = campaigns_visible_to(viewer, roots=roots)
        if data is not None and not data.get("kind"):
            data = data.copy()  # a drill-down link: the select shows the default kind
            data["kind"] = _default_kind(campaigns, data.get("campaign"))
        date_from, date_to = default_period()
        super().__init__(
            data, initial={"kind": HelpKind.SCAM, "date_from": date_from, "date_to": date_to}
        )
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        self.fields["campaign"].queryset = campaigns.order_by("-starts_on")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        elif start and end and end - start > MAX_PERIOD:
            self.add_error("date_to", _("Choose a period of at most a year."))
        return data

    def filters(self) -> OutreachFilters:
        """The chosen filters; the last 12 weeks and scams while the form has errors."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return make_filters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            campaign=data.get("campaign"),
            course=data.get("course"),
            kind=data.get("kind") or HelpKind.SCAM,
        )


def _default_kind(campaigns, campaign_id) -> str:
    """The kind of help a campaign sets a target for (its first), else scams: a campaign
    of VNeID activations is compared with VNeID help, not with scam reports."""
    campaign_id = parse_id(campaign_id)
    target = (
        OutreachTarget.objects.filter(campaign_id=campaign_id, campaign__in=campaigns)
        .order_by("kind")
        .first()
        if campaign_id
        else None
    )
    return target.kind if target else HelpKind.SCAM


def make_filters(*, date_from, date_to, campaign, course, kind) -> OutreachFilters:
    """Filters with their defaults: a campaign's own dates (else the last 12 weeks), and the
    course of the kind's topic."""
    if campaign is not None and not (date_from or date_to):
        date_from, date_to = campaign.starts_on, campaign.due_on
    default_from, default_to = default_period()
    date_from, date_to = date_from or default_from, date_to or default_to
    if date_from > date_to or date_to - date_from > MAX_PERIOD:
        date_from, date_to = default_from, default_to
    targets = list(campaign.outreach_targets.order_by("kind")) if campaign else []
    return OutreachFilters(
        date_from=date_from,
        date_to=date_to,
        campaign=campaign,
        course=course or outreach.default_course_for(kind),
        kind=kind,
        targets=targets,
    )
