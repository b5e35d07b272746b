"""The pure normalisers: what office spreadsheets put in cells, and what the registry gets."""

import unicodedata
from datetime import date, datetime

import pytest
from django.utils import translation

from households.models import Relation, Sex
from imports import normalise
from imports.importers.households import RELATION_SYNONYMS, SEX_SYNONYMS
from imports.normalise import Invalid


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def nfd(text):
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (None, ""),
        ("  Nguyễn   Văn\tÂn  ", "Nguyễn Văn Ân"),
        (nfd("Nguyễn Thị Hồng Nhung"), "Nguyễn Thị Hồng Nhung"),
        ("Trần\u00a0Thị\nBình", "Trần Thị Bình"),
        ("'034178001234", "034178001234"),
        (12.0, "12"),
        (12, "12"),
        (datetime(1978, 9, 5), "05/09/1978"),
    ],
)
def test_text_is_nfc_trimmed_and_single_spaced(cell, expected):
    assert normalise.text(cell) == expected
    assert unicodedata.is_normalized("NFC", normalise.text(cell))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("034178001234", ("034178001234", False)),
        (" 034 178 001 234 ", ("034178001234", False)),
        ("034-178-001-234", ("034178001234", False)),
        (34178001234, ("034178001234", True)),  # typed as a number: Excel dropped the leading zero
        (34178001234.0, ("034178001234", True)),
        ("34178001234", ("034178001234", True)),
    ],
)
def test_cccd(cell, expected):
    value, warning = normalise.cccd(cell)
    assert (value, warning is not None) == expected
    if warning:
        assert "034178001234" in warning and "11" in warning


@pytest.mark.parametrize("cell", ["03417800123", "0341780012345", "CCCD034178", "3.41780E+11", "3,4178E+11", 3.5])
def test_cccd_refuses_what_is_not_12_digits(cell):
    with pytest.raises(Invalid):
        normalise.cccd(cell)


def test_cccd_in_scientific_notation_says_the_digits_are_lost():
    with pytest.raises(Invalid, match=r"3\.41780E\+11"):
        normalise.cccd("3.41780E+11")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime(1978, 9, 5, 0, 0), date(1978, 9, 5)),
        (date(1978, 9, 5), date(1978, 9, 5)),
        ("05/09/1978", date(1978, 9, 5)),
        ("5/9/1978", date(1978, 9, 5)),
        ("05-09-1978", date(1978, 9, 5)),
        ("05.09.1978", date(1978, 9, 5)),
        (" 05 / 09 / 1978 ", date(1978, 9, 5)),
        ("1978-09-05", date(1978, 9, 5)),
        ("1978-09-05 00:00:00", date(1978, 9, 5)),
        (28738, date(1978, 9, 5)),  # an Excel serial number in a General cell
        (28738.0, date(1978, 9, 5)),
        ("28738", date(1978, 9, 5)),
    ],
)
def test_dates(cell, expected):
    assert normalise.day(cell) == (expected, None)


@pytest.mark.parametrize("cell", [1948, "1948", "năm 1948"])
def test_a_bare_year_is_the_first_of_january_with_a_warning(cell):
    value, warning = normalise.day(cell)
    assert value == date(1948, 1, 1)
    assert "1948" in warning


@pytest.mark.parametrize("cell", ["31/02/1978", "12/5/65", "ngày 5", "05/13/1978", "abc", -3, "3000"])
def test_dates_refused(cell):
    with pytest.raises(Invalid):
        normalise.day(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (1, True),
        (0, False),
        (1.0, True),
        ("1", True),
        ("0", False),
        ("Có", True),
        ("có", True),
        (nfd("Có"), True),
        ("co", True),
        ("Không", False),
        ("KHONG", False),
        ("x", True),
        ("X", True),
        ("TRUE", True),
        ("false", False),
        (True, True),
    ],
)
def test_yes_no(cell, expected):
    assert normalise.yes_no(cell) is expected


def test_yes_no_refuses_other_words():
    with pytest.raises(Invalid):
        normalise.yes_no("có lẽ")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (1500000, 1500000),
        (1500000.0, 1500000),
        ("1.500.000", 1500000),
        ("1 500 000", 1500000),
        ("1\u00a0500\u00a0000", 1500000),
        ("１.５００.０００", 1500000),
        ("1.500.000 đ", 1500000),
        ("1.500.000đ", 1500000),
        ("1.500.000 VND", 1500000),
        ("1500000", 1500000),
        ("0", 0),
    ],
)
def test_money(cell, expected):
    assert normalise.money(cell) == expected


# Commas are refused like on the review form (households.rules.parse_money): "1,500,000" is English writing and
# "1500000,00" a decimal; both were read as 1500000 before the form and the import shared one reading.
@pytest.mark.parametrize(
    "cell", ["1,5", "1,500,000", "1500000,00", "1.500.00", "1.50.000", "1.5 triệu", "-200.000", 1500000.5, "abc", True]
)
def test_money_refused(cell):
    with pytest.raises(Invalid):
        normalise.money(cell)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Thôn 1", "1"),
        ("thon 1", "1"),
        ("1", "1"),
        ("Thôn 01", "1"),
        ("Thôn số 1", "1"),
        ("THÔN  1", "1"),
        ("Tổ dân phố 3", "3"),
        ("TDP 3", "3"),
        ("TDP.3", "3"),
        ("Tổ 3", "3"),
        ("tổ dân phố số 03", "3"),
        ("Xóm Đông", "dong"),
        ("Thôn Đông Hồ", "dong ho"),
        ("Đông Hồ", "dong ho"),
        (nfd("Thôn Đông Hồ"), "dong ho"),
        ("Xã Song An", "song an"),
        ("xa song an", "song an"),
        ("Song An", "song an"),
        ("Phường Lê Hồng Phong", "le hong phong"),
        ("Thị trấn Hưng Hà", "hung ha"),
        ("TT Hưng Hà", "hung ha"),
        ("Xuân Hòa", "xuan hoa"),  # "Xuân" does not start with the prefix "Xã"
        ("Tân Lập", "tan lap"),  # nor "Tân" with "Tổ"
    ],
)
def test_unit_key(name, key):
    assert normalise.unit_key(name) == key


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("13249", "13249"), (13249, "13249"), (13249.0, "13249"), ("013249", "13249"), ("Xã Song An", None)],
)
def test_gso_code(cell, expected):
    assert normalise.gso_code(cell) == expected


@pytest.mark.parametrize(
    ("cell", "key"),
    [
        ("Họ và tên", "ho va ten"),
        ("HỌ VÀ TÊN", "ho va ten"),
        ("  Họ  và   tên ", "ho va ten"),
        (nfd("Họ và tên"), "ho va ten"),
        ("Họ và tên (*)", "ho va ten"),
        ("Ngày sinh\n(dd/mm/yyyy)", "ngay sinh"),
        ("Số CCCD:", "so cccd"),
        ("Thôn/Tổ dân phố", "thon/to dan pho"),
    ],
)
def test_header_key(cell, key):
    assert normalise.header_key(cell) == key


def test_choices_match_labels_in_both_languages_codes_and_synonyms():
    relations = normalise.choice_index(Relation, RELATION_SYNONYMS)
    for cell in ("Chủ hộ", "chu ho", "CHỦ HỘ", "Head of household", "head", nfd("Chủ hộ")):
        assert normalise.choice(cell, relations) == "head"
    assert normalise.choice("Vợ", relations) == "spouse"
    assert normalise.choice("Vợ/chồng", relations) == "spouse"
    assert normalise.choice("Con dâu", relations) == "other"
    sexes = normalise.choice_index(Sex, SEX_SYNONYMS)
    assert [normalise.choice(cell, sexes) for cell in ("Nam", "nữ", "NU", "F", "Nữ giới")] == ["M", "F", "F", "F", "F"]
    with pytest.raises(Invalid, match="Bác"):
        normalise.choice("Bác", relations)
