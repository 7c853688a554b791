import pytest

from ethics.people.citizen_id import check_digit, formatted, is_valid, mask, normalise


def test_check_digit_follows_the_official_formula():
    digits = "110170020345"
    total = sum(int(d) * (14 - i) for i, d in enumerate(digits, start=1))
    assert check_digit(digits) == (11 - total % 11) % 10


@pytest.mark.parametrize("first", ["110170020345", "310060012345", "000000000000"])
def test_valid_ids(first):
    assert is_valid(first + str(check_digit(first)))


VALID = "110170020345" + str(check_digit("110170020345"))
WRONG_CHECK = VALID[:12] + str((int(VALID[12]) + 1) % 10)


@pytest.mark.parametrize("cid", [WRONG_CHECK, VALID[:12], VALID + "1", VALID[:11] + "a" + VALID[12], "",
                                 "１" * 13])
def test_invalid_ids(cid):
    assert not is_valid(cid)


def test_mask_shows_only_last_three_digits():
    assert mask("1101700203451") == "x-xxxx-xxxxx-45-1"


def test_formatted_groups_digits():
    assert formatted("1101700203451") == "1-1017-00203-45-1"


def test_normalise_drops_separators():
    assert normalise("1-1017-00203-45-1") == "1101700203451"
    assert normalise(" 1 1017 00203 45 1 ") == "1101700203451"
