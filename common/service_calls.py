"""Call a service from a view and show its refusal: what every screen that writes does.

A service refuses bad input by raising `ValidationError` with a Vietnamese message
(docs/design-rules.md). A view calls it inside `service_call`; a refusal is shown to the
user, as a message on the next page or on the form's fields, and the view carries on:

    with service_call(request) as call:
        services.revoke_certificate(certificate=certificate, by=request.user, reason=reason)
    if call.ok:
        messages.success(request, _("Certificate revoked."))
    return redirect(...)

Any other exception goes through untouched.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

__all__ = ["ServiceCall", "add_errors_to_form", "service_call"]


@dataclass
class ServiceCall:
    """How a `service_call` block ended: `error` is the refusal, if there was one."""

    error: ValidationError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def add_errors_to_form(
    form: forms.Form, error: ValidationError, *, fields: Mapping[str, str] | None = None
) -> None:
    """Put a service's refusal on the form: each message by field when the service named
    one (`fields` maps the service's names to the form's where they differ), on the form as
    a whole otherwise or when the form has no such field."""
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            field = (fields or {}).get(name, name)
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


@contextmanager
def service_call(
    request: HttpRequest,
    *,
    form: forms.Form | None = None,
    fields: Mapping[str, str] | None = None,
) -> Iterator[ServiceCall]:
    """Run the block; if it raises `ValidationError`, show the messages (on `form` when
    given, see `add_errors_to_form`, else as one error message of the request) and go on
    after the block with `call.ok` false."""
    call = ServiceCall()
    try:
        yield call
    except ValidationError as error:
        call.error = error
        if form is not None:
            add_errors_to_form(form, error, fields=fields)
        else:
            messages.error(request, " ".join(error.messages))
