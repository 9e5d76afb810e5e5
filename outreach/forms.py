from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import IdChoiceField

from .models import MAX_RESIDENTS, NOTE_LENGTH, HelpKind
from .services import RECORDABLE_DAYS


class PlaceChoiceField(IdChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class EntryForm(forms.Form):
    """Help given to residents: counts only. There is deliberately no field for a resident's
    name, phone or ID number."""

    helped_on = forms.DateField(
        label=_("Date"),
        error_messages={"required": _("Enter the date."), "invalid": _("Enter the date.")},
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    place = PlaceChoiceField(
        label=_("Hamlet"),
        queryset=None,
        empty_label=None,
        error_messages={
            "required": _("Choose a hamlet of your area."),
            "invalid_choice": _("Choose a hamlet of your area."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind of help"),
        choices=HelpKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the kind of help."),
            "invalid_choice": _("Choose the kind of help."),
        },
    )
    residents = forms.IntegerField(
        label=_("How many residents"),
        min_value=1,
        max_value=MAX_RESIDENTS,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"),
            lazy(
                lambda: (
                    gettext("Enter how many residents, from 1 to %(max)s.") % {"max": MAX_RESIDENTS}
                ),
                str,
            )(),
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": MAX_RESIDENTS}),
    )
    note = forms.CharField(
        label=_("Short note (optional)"),
        required=False,
        max_length=NOTE_LENGTH,
        error_messages={
            "max_length": lazy(
                lambda: gettext("The note is at most %(max)s characters.") % {"max": NOTE_LENGTH},
                str,
            )()
        },
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_LENGTH}),
        help_text=_("What you did, e.g. “at the commune's cultural house”. No names or numbers."),
    )

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = (
            type(places[0]).objects.filter(pk__in=[p.pk for p in places]).order_by("name")
        )
        today = timezone.localdate()
        self.fields["helped_on"].widget.attrs.update(
            max=today.isoformat(), min=(today - timedelta(days=RECORDABLE_DAYS)).isoformat()
        )
