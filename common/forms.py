from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .params import parse_id
from .spreadsheets import MAX_FILE_BYTES
from .uploads import upload_too_large

__all__ = ["IdChoiceField", "IdMultipleChoiceField", "SpreadsheetUploadForm"]


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that checks the id is a number the database can hold before it
    asks (Django's passes "99999999999999999999" on, and the database overflows)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(parse_id(value))


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            if parse_id(item) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(item)[:40]},
                )
        return super()._check_values([parse_id(item) for item in value])


TOO_LARGE = gettext_lazy("The file is larger than %(limit)s MB. Split it into smaller files.")


class SpreadsheetUploadForm(forms.Form):
    """One XLSX or CSV file, refused at once when it is over the size limit (counted while
    it streams in, see common.uploads) or of another type. Its content is read later, by a
    worker."""

    file = forms.FileField()

    def __init__(self, *args, label: str, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = label
        self.too_large = request is not None and upload_too_large(request)

    def clean(self):
        if self.too_large:
            self.errors.pop("file", None)
            raise forms.ValidationError(
                {"file": str(TOO_LARGE) % {"limit": MAX_FILE_BYTES // (1024 * 1024)}}
            )
        return super().clean()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(str(TOO_LARGE) % {"limit": MAX_FILE_BYTES // (1024 * 1024)})
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Upload an Excel file (.xlsx) or a CSV file (.csv)."))
        return upload
