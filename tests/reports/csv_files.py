"""Reading the report's CSV downloads as a program would: past the rows that say what the file holds."""

import csv
import io

from reports.portfolio_csv import PREAMBLE_ROWS


def preamble_of(text: str) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(text)))[:PREAMBLE_ROWS]
    assert rows[-1] == [], "a blank row ends the preamble"
    return {row[0]: row[1] for row in rows[:-1]}


def table_of(text: str) -> list[dict[str, str]]:
    """The rows after the preamble, keyed by the header."""
    header, *rows = list(csv.reader(io.StringIO(text)))[PREAMBLE_ROWS:]
    return [dict(zip(header, row, strict=True)) for row in rows]
