import unicodedata

import pytest

from accounts.models import User
from common.text import fold, nfc, slugify_vi


def test_fold_removes_accents_and_maps_d():
    assert fold("Lừa Đảo trực tuyến") == "lua dao truc tuyen"
    assert fold("  Đi   chợ ") == "di cho"


def test_slug_keeps_d():
    assert slugify_vi("Đi chợ") == "di-cho"
    assert slugify_vi("Nhận diện lừa đảo") == "nhan-dien-lua-dao"


def test_nfc_composes_decomposed_input():
    decomposed = unicodedata.normalize("NFD", "Nguyễn")
    assert decomposed != "Nguyễn"
    assert nfc(decomposed) == "Nguyễn"


@pytest.mark.django_db
def test_names_are_stored_in_nfc_and_found_by_nfc_queries():
    nfd_name = unicodedata.normalize("NFD", "Tuyết")
    User.objects.create(username="tuyet", first_name=nfd_name, last_name="Nguyễn Thị Ánh")
    stored = User.objects.get(username="tuyet")
    assert stored.first_name == "Tuyết"
    assert unicodedata.is_normalized("NFC", stored.first_name)
    assert User.objects.filter(first_name=nfd_name).count() == 1
    assert stored.full_name == "Nguyễn Thị Ánh Tuyết"
