import pytest
from hypothesis import given
from hypothesis import strategies as st

from governance.scoring import Band, band, band_for_score, score, tier


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, Band.LOW),
        (4, Band.LOW),
        (5, Band.MEDIUM),
        (9, Band.MEDIUM),
        (10, Band.HIGH),
        (16, Band.HIGH),
        (20, Band.CRITICAL),
        (25, Band.CRITICAL),
    ],
)
def test_band_edges(value, expected):
    assert band_for_score(value) == expected


@pytest.mark.parametrize(
    ("likelihood", "impact", "expected"),
    [
        (2, 2, Band.LOW),
        (1, 5, Band.MEDIUM),
        (3, 3, Band.MEDIUM),
        (2, 5, Band.HIGH),
        (4, 4, Band.HIGH),
        (4, 5, Band.CRITICAL),
        (5, 5, Band.CRITICAL),
    ],
)
def test_band_of_likelihood_and_impact(likelihood, impact, expected):
    assert band(likelihood, impact) == expected


@pytest.mark.parametrize("bad", [0, 6, -1, 2.5, "3", None, True])
def test_score_rejects_values_off_the_scale(bad):
    with pytest.raises(ValueError):
        score(bad, 3)
    with pytest.raises(ValueError):
        score(3, bad)


@pytest.mark.parametrize("bad", [0, 26, -4, 3.0])
def test_band_rejects_impossible_scores(bad):
    with pytest.raises(ValueError):
        band_for_score(bad)


@given(st.integers(1, 5), st.integers(1, 5))
def test_every_possible_score_has_a_band_and_bands_grow_with_score(likelihood, impact):
    value = score(likelihood, impact)
    assert value == likelihood * impact
    order = [Band.LOW, Band.MEDIUM, Band.HIGH, Band.CRITICAL]
    if likelihood < 5:
        assert order.index(band(likelihood + 1, impact)) >= order.index(band(likelihood, impact))


def test_tier_is_the_band_of_the_highest_residual_score():
    assert tier([]) is None
    assert tier([2, 4]) == Band.LOW
    assert tier([4, 12, 6]) == Band.HIGH
    assert tier([20, 1]) == Band.CRITICAL
