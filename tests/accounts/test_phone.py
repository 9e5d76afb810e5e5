import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.phone import InvalidPhoneNumber, normalize_phone

mobile_numbers = st.from_regex(r"\A[35789][0-9]{8}\Z")
separators = st.sampled_from(["", " ", ".", "-"])


@pytest.mark.parametrize(
    "raw",
    [
        "0912 345 678",
        "+84 912 345 678",
        "84912345678",
        "0912.345.678",
        "(+84) 912-345-678",
        "+84 0912 345 678",
        "0084912345678",
        " 0912345678 ",
    ],
)
def test_usual_forms_of_one_number_are_the_same(raw):
    assert normalize_phone(raw) == "+84912345678"


def test_landline_with_area_code():
    assert normalize_phone("0275 3822 000") == "+842753822000"


@given(national=mobile_numbers, sep=separators, style=st.sampled_from(["0", "+84", "84", "+84 "]))
def test_every_accepted_form_maps_to_the_canonical_number(national, sep, style):
    grouped = sep.join([national[:3], national[3:6], national[6:]])
    assert normalize_phone(style + grouped) == "+84" + national


@given(st.text(max_size=30))
def test_garbage_is_rejected_with_a_message_never_an_exception(raw):
    try:
        result = normalize_phone(raw)
    except InvalidPhoneNumber as error:
        assert error.messages and all(message.strip() for message in error.messages)
    else:
        assert result.startswith("+84")
        assert normalize_phone(result) == result


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "12345",
        "0123456789",
        "+1 202 555 0100",
        "09123456789",
        "abc",
        "０９１２３４５６７８",
    ],
)
def test_invalid_numbers_get_a_vietnamese_message(raw):
    from django.utils import translation

    with translation.override("vi"), pytest.raises(InvalidPhoneNumber) as caught:
        normalize_phone(raw)
    message = caught.value.messages[0]
    assert "số điện thoại" in message.lower()
