from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .spreadsheets import MAX_FILE_BYTES
from .uploads import upload_too_large

__all__ = ["SpreadsheetUploadForm"]

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
