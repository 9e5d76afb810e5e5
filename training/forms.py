import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import IdChoiceField, IdMultipleChoiceField
from common.validators import validate_date_range, validate_plain_text
from courses.models import CoursePage, Topic

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


DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class SessionForm(forms.Form):
    """Schedule or change an in-person session (the admin posts it; the service checks it)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    course = IdChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.none(),
        required=False,
        empty_label=_("— a topic instead —"),
        help_text=_("Attending counts for courses that require an in-person session."),
    )
    topic = IdChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.all(),
        required=False,
        empty_label=_("— the course's own —"),
        help_text=_("Only when the session is not about one course."),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    starts_on = forms.DateField(
        label=_("Date"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    starts_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends_on = forms.DateField(
        label=_("Ends on"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Only for a session over several days."),
    )
    ends_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    trainer = IdChoiceField(label=_("Trainer"), queryset=None)
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=1, max_value=5000)
    unit_codes = forms.CharField(
        label=_("Invited units"),
        help_text=_("Unit codes separated by commas; each covers all units below it."),
    )
    notes = forms.CharField(
        label=_("What to bring, other notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.live().order_by("title")
        self.fields["trainer"].queryset = trainers
        self.fields["trainer"].label_from_instance = lambda u: u.full_name or u.username

    def clean(self):
        data = super().clean()
        if not data.get("course") and not data.get("topic") and "course" not in self.errors:
            self.add_error("course", _("Choose the course or the topic of the session."))
        return data

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        starts = datetime.datetime.combine(data["starts_on"], data["starts_time"], tzinfo=zone)
        ends = datetime.datetime.combine(
            data.get("ends_on") or data["starts_on"], data["ends_time"], tzinfo=zone
        )
        return starts, ends

    @classmethod
    def initial_for(cls, session) -> dict:
        starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        return {
            "title": session.title,
            "course": session.course_id,
            "topic": session.topic_id,
            "place": session.place,
            "starts_on": starts.date(),
            "starts_time": starts.time().replace(second=0, microsecond=0),
            "ends_on": ends.date() if ends.date() != starts.date() else None,
            "ends_time": ends.time().replace(second=0, microsecond=0),
            "trainer": session.trainer_id,
            "capacity": session.capacity,
            "unit_codes": ", ".join(u.code for u in session.target_units.all()),
            "notes": session.notes,
        }
