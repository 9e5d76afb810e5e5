from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import IdChoiceField
from common.validators import validate_date_range
from courses.models import CoursePage
from organisations.models import TEAM_ROLES, Role
from training.selectors import campaigns_visible_to

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
        self.fields["campaign"].queryset = campaigns_visible_to(viewer, roots=roots).order_by(
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
        """The chosen filters, or none at all while the form has errors."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            course=data["course"],
            campaign=data["campaign"],
            role=data["role"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
