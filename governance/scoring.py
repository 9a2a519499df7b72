"""Risk scoring on the 5×5 scale: pure functions, no database."""

from collections.abc import Iterable

from django.db import models

SCALE = range(1, 6)


class Band(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    CRITICAL = "critical", "Critical"


# Inclusive upper bounds. Products of two 1–5 scores skip 17–19 and 21–24, so every score has a band.
_BAND_CEILINGS = ((4, Band.LOW), (9, Band.MEDIUM), (16, Band.HIGH), (25, Band.CRITICAL))
BAND_RANGES = {Band.LOW: (1, 4), Band.MEDIUM: (5, 9), Band.HIGH: (10, 16), Band.CRITICAL: (20, 25)}
BAND_ORDER = [Band.LOW, Band.MEDIUM, Band.HIGH, Band.CRITICAL]


def score(likelihood: int, impact: int) -> int:
    """Likelihood × impact, each on the 1–5 scale."""
    for name, value in (("likelihood", likelihood), ("impact", impact)):
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            raise ValueError(f"{name} must be a whole number from 1 to 5, not {value!r}")
    return likelihood * impact


def band_for_score(value: int) -> Band:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 25:
        raise ValueError(f"a risk score is a whole number from 1 to 25, not {value!r}")
    for ceiling, band in _BAND_CEILINGS:
        if value <= ceiling:
            return band
    raise AssertionError("unreachable")


def band(likelihood: int, impact: int) -> Band:
    return band_for_score(score(likelihood, impact))


def tier(residual_scores: Iterable[int]) -> Band | None:
    """A use case's tier: the band of its highest residual score; None when no risk is recorded."""
    highest = max(residual_scores, default=None)
    return None if highest is None else band_for_score(highest)
