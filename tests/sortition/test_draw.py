"""Dice and seed → panel index. Expected values were computed by hand with
``hashlib`` in a separate session and are written here as literals."""

from __future__ import annotations

import pytest

from tirage.sortition.draw import (
    dice_count,
    draw,
    index_from_dice,
    index_from_seed,
    randomness_label,
)
from tirage.sortition.errors import InputError
from tirage.sortition.reserve import reserve_key

COMMITMENT = "51fcc684f75fa7299186241673bd0f2f3c19ddf7e151075eaa3ff85491814b02"
# = SHA-256("tirage test vector")


def test_dice_count():
    assert dice_count(1000) == 3
    assert dice_count(10000) == 4
    assert dice_count(300) == 3
    assert dice_count(1) == 1


@pytest.mark.parametrize(
    ("dice", "m", "index"),
    [
        ([4, 2, 7], 1000, 427),
        ([0, 0, 0], 1000, 0),
        ([9, 9, 9], 1000, 999),
        ([0, 4, 2, 7], 10000, 427),
        ([9, 9, 9, 9], 10000, 9999),
    ],
)
def test_dice_power_of_ten_is_the_number_read(dice, m, index):
    result = index_from_dice(dice, m)
    assert result.index == index
    assert result.attempts == 1
    assert result.dice == tuple(dice)


def test_dice_rejection_when_m_is_not_a_power_of_ten():
    # m = 300: 3 dice, accepted below 900 = 3 * 300, index = value mod 300.
    assert index_from_dice([1, 2, 3], 300).index == 123
    assert index_from_dice([8, 9, 9], 300).index == 299
    result = index_from_dice([9, 5, 0, 4, 2, 7], 300)  # 950 rejected, 427 → 127
    assert (result.index, result.attempts) == (127, 2)
    with pytest.raises(InputError, match="throw 3 more dice") as err:
        index_from_dice([9, 5, 0], 300)
    assert err.value.code == "rethrow"


@pytest.mark.parametrize(
    ("dice", "code"),
    [
        ([4, 2], "dice_count"),
        ([4, 2, 7, 1], "dice_count"),
        ([], "dice_count"),
        ([4, 10, 7], "bad_die"),
        ([4, -1, 7], "bad_die"),
        ([4, "2", 7], "bad_die"),
        ([1, 2, 3, 4, 5, 6], "extra_dice"),
    ],
)
def test_dice_validation(dice, code):
    with pytest.raises(InputError) as err:
        index_from_dice(dice, 1000)
    assert err.value.code == code
    assert str(err.value)


def test_extra_dice_after_an_accepted_throw_for_m_300():
    with pytest.raises(InputError, match="not part of the draw"):
        index_from_dice([1, 2, 3, 4, 5, 6], 300)


@pytest.mark.parametrize(
    ("seed", "m", "index"),
    [
        # x = 0x3c178a70c54f85635ee97ae546e5f01160151a2aeadeb83d9d0ce38401971773
        ("Roubaix 2026", 1000, 339),
        ("Roubaix 2026", 10000, 339),
        # x = 0xa9f486fa2ec27db21371d99d395d6930c83f0ad6442f73f43293f9a500f27f87
        ("EuroMillions 2026-12-01: 3 17 22 41 48 / 2 9", 1000, 55),
        ("EuroMillions 2026-12-01: 3 17 22 41 48 / 2 9", 10000, 4055),
        # UTF-8: "é" is the two bytes c3 a9
        ("é", 1000, 26),
        ("é", 10000, 9026),
    ],
)
def test_seed_vectors(seed, m, index):
    result = index_from_seed(COMMITMENT, seed, m)
    assert result.index == index
    assert result.attempts == 1


def test_seed_rejection_path():
    # m = 2^255 + 1: only one multiple of m fits below 2^256, so hashes >= m
    # (about half of them) are rejected. For seed "a" counters 0, 1, 2 are
    # rejected and counter 3 gives x < m, hence index = x.
    m = 2**255 + 1
    result = index_from_seed(COMMITMENT, "a", m)
    assert result.attempts == 4
    assert result.index == (
        18521262734543090194797004899122644069877865979439899649958126519581529961358
    )
    # seed "e": counter 0 rejected, counter 1 accepted.
    result = index_from_seed(COMMITMENT, "e", m)
    assert result.attempts == 2
    assert result.index == (
        15725932435817839408709095449484313630285579660794658970357553780742082693513
    )


@pytest.mark.parametrize("commitment", ["", "abc", COMMITMENT.upper(), COMMITMENT + "0"])
def test_seed_rejects_bad_commitment(commitment):
    with pytest.raises(InputError) as err:
        index_from_seed(commitment, "x", 1000)
    assert err.value.code == "bad_commitment"


def test_draw_needs_exactly_one_source():
    with pytest.raises(InputError):
        draw(COMMITMENT, 1000)
    with pytest.raises(InputError):
        draw(COMMITMENT, 1000, dice=[1, 2, 3], seed="x")
    assert draw(COMMITMENT, 1000, dice=[4, 2, 7]).index == 427


def test_labels_and_reserve_keys():
    assert randomness_label(index_from_dice([4, 2, 7], 1000)) == "dice=427"
    assert randomness_label(index_from_seed(COMMITMENT, "Roubaix 2026", 1000)) == (
        "seed=Roubaix 2026"
    )
    assert reserve_key(COMMITMENT, "dice=427", "p01") == (
        "f4760842af4b895e9d2e98705103555a54f974e53e3aaf675579ff2d3541f17f"
    )
    assert reserve_key(COMMITMENT, "seed=Roubaix 2026", "p03") == (
        "f183bfec9a7cbefd412c1e68b139b555168ce06b4b17cbf4f306aadb573162e7"
    )
