from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role, UnitKind


class MemberForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=300)
    phone = forms.CharField(label=_("Phone number"), max_length=40)
    email = forms.EmailField(label=_("Email"), required=False)
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("dd/mm/yyyy"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )


class NewMemberForm(MemberForm):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in (Role.MEMBER, Role.LEADER, Role.DEPUTY)],
    )


class AssignRoleForm(forms.Form):
    unit_code = forms.CharField(label=_("Unit code"), max_length=40)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class UnitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=40)
    local_label = forms.CharField(label=_("Local label"), max_length=60, required=False)


class MergeForm(forms.Form):
    target_code = forms.CharField(label=_("Code of the unit it merges into"), max_length=40)
    on = forms.DateField(
        label=_("Merger date"), help_text=_("dd/mm/yyyy"), input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
