from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import IdMultipleChoiceField
from common.validators import validate_date_range, validate_plain_text
from courses.models import CoursePage

from .models import CampaignStatus


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_plain_text])
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    courses = IdMultipleChoiceField(
        label=_("Courses"),
        queryset=CoursePage.objects.live().order_by("title"),
        widget=forms.CheckboxSelectMultiple,
    )
    unit_codes = forms.CharField(
        label=_("Target units"),
        help_text=_("Unit codes separated by commas; each covers all units below it."),
        max_length=2000,
        validators=[validate_plain_text],
    )
    starts_on = forms.DateField(
        label=_("Starts on"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("dd/mm/yyyy"),
        validators=[validate_date_range],
    )
    due_on = forms.DateField(
        label=_("Due on"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("dd/mm/yyyy"),
        validators=[validate_date_range],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in (CampaignStatus.DRAFT, CampaignStatus.RUNNING)],
    )


class CampaignChangeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, validators=[validate_plain_text])
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(
        label=_("Due on"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("dd/mm/yyyy"),
        validators=[validate_date_range],
    )
