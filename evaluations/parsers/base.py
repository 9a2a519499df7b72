"""What every parser builds: a run's facts and its tests' tallies, counted while the file streams past, so
memory and time grow with the number of distinct tests, not with the number of samples."""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from datetime import UTC, datetime

# Bounds on what one file may hold: a harness's result has tens of tests, a large one hundreds.
MAX_TESTS = 2_000
MAX_SAMPLES = 2_000_000
NAME_MAX = 300
# Latencies above a day are not a model call's.
MAX_LATENCY_MS = 86_400_000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class ParseError(Exception):
    """The file cannot be read as the harness's result; the message says why, for the person importing it."""


def text(value, limit: int = NAME_MAX) -> str:
    """A name from the file, as text fit to store and show: no control characters, at most `limit`."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    value = _CONTROL.sub("", value).strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def number(value) -> float | None:
    """A finite number, or None (JSON booleans are not numbers here)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        result = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return result if result == result and abs(result) != float("inf") else None


def count(value) -> int:
    found = number(value)
    return int(found) if found is not None and found >= 0 else 0


def timestamp(value) -> datetime | None:
    """An ISO 8601 date and time (or epoch seconds / milliseconds), as an aware datetime, or None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10**11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    raw = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass
class Tally:
    samples: int = 0
    passed: int = 0
    failed: int = 0
    score_sum: float = 0.0
    scored: int = 0

    @property
    def score(self) -> float | None:
        return self.score_sum / self.scored if self.scored else None


@dataclass
class ParsedRun:
    harness: str
    harness_version: str = ""
    title: str = ""
    dataset: str = ""
    model: str = ""
    provider: str = ""
    run_at: datetime | None = None
    samples: int = 0
    passed: int = 0
    failed: int = 0
    tests: dict[tuple[str, str], Tally] = field(default_factory=dict)
    latencies_ms: array = field(default_factory=lambda: array("d"))
    usage_samples: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    def tally(self, name, detail="") -> Tally:
        key = (text(name) or "(unnamed)", text(detail))
        found = self.tests.get(key)
        if found is None:
            if len(self.tests) >= MAX_TESTS:
                raise ParseError(f"The file holds more than {MAX_TESTS:,} distinct tests, more than Clearance reads.")
            found = self.tests[key] = Tally()
        return found

    def grade(self, name, detail="", *, passed: bool | None, score: float | None = None) -> None:
        """Count one graded sample of one test: passed, failed, or neither when it was not graded."""
        self.add(name, detail, samples=1, passed=int(passed is True), failed=int(passed is False), score=score)

    def add(self, name, detail="", *, samples: int, passed: int, failed: int, score: float | None = None) -> None:
        """Count samples of one test at once, as harnesses that report totals give them."""
        tally = self.tally(name, detail)
        tally.samples += samples
        tally.passed += passed
        tally.failed += failed
        if score is not None:
            tally.score_sum += score * samples
            tally.scored += samples

    def sample(self, *, passed: bool | None) -> None:
        """Count one sample of the run as a whole (passed when every test it had passed)."""
        self.samples += 1
        if self.samples > MAX_SAMPLES:
            raise ParseError(f"The file holds more than {MAX_SAMPLES:,} samples, more than Clearance reads.")
        if passed is True:
            self.passed += 1
        elif passed is False:
            self.failed += 1

    def latency(self, milliseconds) -> None:
        value = number(milliseconds)
        if value is not None and 0 <= value <= MAX_LATENCY_MS:
            self.latencies_ms.append(value)

    def usage(self, input_tokens, output_tokens) -> None:
        given_in, given_out = number(input_tokens), number(output_tokens)
        if given_in is None and given_out is None:
            return
        self.usage_samples += 1
        self.input_tokens += count(given_in)
        self.output_tokens += count(given_out)

    def finish(self) -> ParsedRun:
        self.harness_version, self.title, self.dataset = (
            text(self.harness_version, 100),
            text(self.title),
            text(self.dataset),
        )
        self.model, self.provider = text(self.model), text(self.provider, 200)
        if not self.model:
            raise ParseError("The file does not say which model it evaluated.")
        if not self.tests:
            raise ParseError("The file holds no test results.")
        return self


def percentile(ordered, p: float) -> float | None:
    """The p-th percentile (nearest rank) of an already sorted sequence."""
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]
