"""The longest text the limits allow still makes an approval record, whole."""

import subprocess

import pytest

from approvals.documents.records import approval_record_render
from governance.limits import PROSE
from tests.approvals.workflow import complete_use_case, sign, submit

pytestmark = pytest.mark.django_db


def prose(length: int, end: str) -> str:
    """`length` characters of wrapping prose ending with `end`, so a cut shows."""
    body = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * (length // 57 + 1))[: length - len(end) - 1]
    return f"{body} {end}"


def test_a_purpose_and_conditions_at_the_limit_make_a_complete_record(alice, team):
    purpose, conditions = prose(PROSE, "PURPOSE-ENDS-HERE"), prose(PROSE, "CONDITIONS-END-HERE")
    round = submit(complete_use_case(alice, purpose=purpose))
    for function in round.required_functions:
        if function == "legal":
            sign(
                round,
                function,
                team[function],
                "approve_with_conditions",
                comment="See the conditions.",
                conditions=conditions,
            )
        else:
            sign(round, function, team[function], "approve")

    record = approval_record_render(round_id=round.pk)

    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", record.file.path, "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "PURPOSE-ENDS-HERE" in text
    assert "CONDITIONS-END-HERE" in text
    print(f"record of a {PROSE:,}-character purpose and conditions: {record.render_seconds} s, {record.pages} pages")
