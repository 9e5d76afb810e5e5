from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from common.forms import IdChoiceField
from common.validators import validate_date_range
from courses.models import CoursePage
from organisations.models import TEAM_ROLES, Role
from training.selectors import campaigns_covering

from .filters import Filters


class FilterForm(forms.Form):
    course = IdChoiceField(
        CoursePage.objects.none(), required=False, label=_("Course"), empty_label=_("All courses")
    )
    campaign = IdChoiceField(
        queryset=None, required=False, label=_("Campaign"), empty_label=_("No campaign")
    )
    role = forms.ChoiceField(required=False, label=_("Role"))
    date_from = forms.DateField(
        required=False,
        label=_("Completed from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_range],
    )
    date_to = forms.DateField(
        required=False,
        label=_("to"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_range],
    )

    def __init__(self, data, *, viewer, roots=None):
        super().__init__(data)
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        self.fields["campaign"].queryset = campaigns_covering(viewer, roots=roots).order_by(
            "-starts_on"
        )
        roles = dict(Role.choices)
        self.fields["role"].choices = [("", _("All team roles"))] + [
            (role, roles[role]) for role in TEAM_ROLES
        ]

    def clean(self):
        data = super().clean()
        if data.get("course") and data.get("campaign"):
            raise forms.ValidationError(_("Choose a course or a campaign, not both."))
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    def filters(self) -> Filters:
        """The chosen filters that are valid: a filter with an error is left out (the form
        shows the error beside it, `left_out` names it) and the others still apply."""
        if not self.is_bound:
            return Filters()
        self.is_valid()  # cleans: cleaned_data keeps the fields without an error
        data = self.cleaned_data
        course, campaign = data.get("course"), data.get("campaign")
        if course and campaign:  # refused together (clean): neither applies
            course = campaign = None
        return Filters(
            course=course,
            campaign=campaign,
            role=data.get("role") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    def left_out(self) -> list[str]:
        """The labels of the filters left out for an error, in the form's order."""
        if not self.is_bound or self.is_valid():
            return []
        names = set(self.errors)
        if NON_FIELD_ERRORS in names:  # a course and a campaign together
            names |= {"course", "campaign"}
        return [str(field.label) for name, field in self.fields.items() if name in names]
