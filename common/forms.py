from django import forms
from django.utils.translation import gettext as _

from .spreadsheets import MAX_FILE_BYTES

__all__ = ["SpreadsheetUploadForm"]


class SpreadsheetUploadForm(forms.Form):
    """One XLSX or CSV file, refused early when it is over the size limit."""

    file = forms.FileField()

    def __init__(self, *args, label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label = label

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB. Split it into smaller files."),
                params={"limit": MAX_FILE_BYTES // (1024 * 1024)},
            )
        return upload
