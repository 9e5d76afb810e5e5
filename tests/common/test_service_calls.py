"""common.service_calls: a service's refusal is shown (as a message, or on the form's
fields) and the view carries on; a call that succeeds shows nothing; anything else that
goes wrong is not swallowed."""

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from common.service_calls import add_errors_to_form, service_call


class PlanForm(forms.Form):
    title = forms.CharField(required=False)
    starts_time = forms.CharField(required=False)


def _request():
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)
    return request


def _shown(request) -> list[tuple[int, str]]:
    return [(m.level, m.message) for m in messages.get_messages(request)]


def test_a_call_that_succeeds_shows_nothing():
    request = _request()
    with service_call(request) as call:
        result = 42
    assert call.ok and call.error is None and result == 42
    assert _shown(request) == []


def test_a_refusal_becomes_one_error_message_and_the_view_goes_on():
    request = _request()
    refusal = ValidationError(["Đơn vị đã có.", "Mã trùng."])
    with service_call(request) as call:
        raise refusal
    assert not call.ok and call.error is refusal
    assert _shown(request) == [(messages.ERROR, "Đơn vị đã có. Mã trùng.")]


def test_a_refusal_by_field_goes_on_the_form_fields():
    request, form = _request(), PlanForm(data={})
    assert form.is_valid()
    with service_call(request, form=form, fields={"starts_at": "starts_time"}) as call:
        raise ValidationError(
            {"title": "Nhập tên.", "starts_at": "Giờ bắt đầu đã qua.", "unit": "Không có tổ."}
        )
    assert not call.ok
    assert form.errors["title"] == ["Nhập tên."]
    assert form.errors["starts_time"] == ["Giờ bắt đầu đã qua."]  # renamed for the form
    assert form.non_field_errors() == ["Không có tổ."]  # no such field: on the whole form
    assert _shown(request) == []  # on the form, not as a message too


def test_a_refusal_without_a_field_goes_on_the_whole_form():
    form = PlanForm(data={})
    assert form.is_valid()
    add_errors_to_form(form, ValidationError("Đợt đã đóng."))
    assert form.non_field_errors() == ["Đợt đã đóng."]


def test_other_exceptions_go_through():
    request = _request()
    with pytest.raises(PermissionDenied), service_call(request):
        raise PermissionDenied
    assert _shown(request) == []
