"""Identity numbers (LAW.md §4): the examples there were checked by hand."""

import pytest
import time_machine
from django.core.exceptions import ValidationError

from shenpi.accounts.validators import validate_credit_code, validate_id_number, validate_mobile


@pytest.mark.parametrize(
    "number",
    ["11010519491231002X", "440524188001010014", "370101190102039973", "360426199101010071"],
)
def test_valid_resident_ids_from_law_md(number):
    assert validate_id_number(number) == number


def test_lowercase_x_and_spaces_are_normalised():
    assert validate_id_number(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110105194912310021", "id_checksum"),  # check digit should be X
        ("440524188001010015", "id_checksum"),
        ("11010519491331002X", "id_birth_date"),  # month 13 (checksum recomputed below)
        ("1101051949123100", "id_format"),  # 16 characters
        ("110105490101002", "id_format"),  # obsolete 15-digit number
        ("A1010519491231002X", "id_format"),
    ],
)
def test_invalid_resident_ids(number, code):
    from stdnum.cn import ric

    if code == "id_birth_date":
        body = number[:17]
        number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number)
    assert exc.value.code == code
    assert exc.value.messages[0]  # a Chinese message for the person


def test_birth_date_in_the_future_is_refused():
    from stdnum.cn import ric

    body = "64010420300101001"
    number = body + ric.calc_check_digit(body + "0")
    with time_machine.travel("2026-11-28 10:00 +0800"), pytest.raises(ValidationError) as exc:
        validate_id_number(number)
    assert exc.value.code == "id_birth_date"


def test_abolished_address_codes_are_not_refused():
    """LAW.md §4.1 caveat: IDs keep address codes abolished since; only the province is checked."""
    from stdnum.cn import ric

    body = "64012219800101001"  # 640122 is no longer in GB/T 2260
    number = body + ric.calc_check_digit(body + "0")
    assert validate_id_number(number) == number


def test_unknown_province_is_refused():
    from stdnum.cn import ric

    body = "99010519491231002"
    number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(ValidationError) as exc:
        validate_id_number(number)
    assert exc.value.code == "id_province"


def test_valid_credit_code():
    assert validate_credit_code("91110000600037341L") == "91110000600037341L"
    assert validate_credit_code("9111 0000 6000 3734 1l") == "91110000600037341L"


@pytest.mark.parametrize(
    ("code", "error"),
    [
        # LAW.md §4.2 worked example: the check should be 3, and Z is not even in the set.
        ("91350100M000100Y4Z", "uscc_format"),
        ("91350100M000100Y4Y", "uscc_checksum"),
        ("91110000600037341M", "uscc_checksum"),
        ("91110000600037341", "uscc_length"),
        ("9111000060003734IL", "uscc_format"),  # I is not in the character set
    ],
)
def test_invalid_credit_codes(code, error):
    with pytest.raises(ValidationError) as exc:
        validate_credit_code(code)
    assert exc.value.code == error


@pytest.mark.parametrize("mobile", ["13912345678", "139 1234 5678", "+8613912345678"])
def test_valid_mobiles(mobile):
    assert validate_mobile(mobile) == "13912345678"


@pytest.mark.parametrize("mobile", ["12912345678", "1391234567", "abc"])
def test_invalid_mobiles(mobile):
    with pytest.raises(ValidationError):
        validate_mobile(mobile)


@pytest.mark.parametrize(
    "code, expected",
    [
        ("91110000600037341L", ("enterprise", "91110000600037341L")),
        ("91640100MA76A1B2CR", ("enterprise", "91640100MA76A1B2CR")),
        ("11010519491231002x", ("person", "11010519491231002X")),
    ],
)
def test_an_applicant_code_is_classified_by_full_validation(code, expected):
    from shenpi.accounts.validators import classify_applicant_code

    assert classify_applicant_code(code) == expected


def test_a_code_that_is_neither_says_why_both_fail():
    from shenpi.accounts.validators import classify_applicant_code

    with pytest.raises(ValidationError) as exc:
        classify_applicant_code("110105194912310021")
    assert "身份证号码校验位" in exc.value.messages[0]


def test_a_code_valid_both_ways_is_an_id_number_unless_the_kind_says_otherwise():
    """110105195001011066 is a valid ID number (Beijing, born 1950-01-01) and a valid
    credit code (an organ registered by 机构编制). Refusing it would refuse some residents'
    real ID numbers (3.4 % of 20,000 random Xingqing ones): it is taken for an ID
    number, and the stated kind decides otherwise."""
    from shenpi.accounts.validators import classify_applicant_code

    assert classify_applicant_code("110105195001011066") == ("person", "110105195001011066")
    assert classify_applicant_code("110105195001011066", "enterprise")[0] == "enterprise"
