from django import forms
from django.utils.translation import gettext_lazy as _

from common.validators import validate_birth_date, validate_date_range, validate_plain_text

from .models import Role, UnitKind

_TEXT = [validate_plain_text]


class MemberForm(forms.Form):
    # The name is stored as family+middle names and given name, 150 characters each.
    full_name = forms.CharField(label=_("Full name"), max_length=150, validators=_TEXT)
    phone = forms.CharField(label=_("Phone number"), max_length=40, validators=_TEXT)
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("dd/mm/yyyy"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        validators=[validate_birth_date],
    )


class NewMemberForm(MemberForm):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in (Role.MEMBER, Role.LEADER, Role.DEPUTY)],
    )


class AssignRoleForm(forms.Form):
    unit_code = forms.CharField(label=_("Unit code"), max_length=40, validators=_TEXT)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class UnitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200, validators=_TEXT)
    code = forms.CharField(label=_("Code"), max_length=40, validators=_TEXT)
    local_label = forms.CharField(
        label=_("Local label"), max_length=60, required=False, validators=_TEXT
    )


class MergeForm(forms.Form):
    target_code = forms.CharField(
        label=_("Code of the unit it merges into"), max_length=40, validators=_TEXT
    )
    on = forms.DateField(
        label=_("Merger date"),
        help_text=_("dd/mm/yyyy"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        validators=[validate_date_range],
    )
