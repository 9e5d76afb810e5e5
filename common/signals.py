"""Signals any app may send; the apps above handle them (`privacy` keeps the access log)."""

from django.dispatch import Signal

# A file holding other people's personal data was handed to `user` (a report export, a
# certificate archive, a list of activation codes). Arguments: user, kind (one of
# "REPORT", "ARCHIVE", "CODES", "ROSTER"), description (what the file is), unit (the
# OrgUnit it covers, or None).
personal_data_downloaded = Signal()
