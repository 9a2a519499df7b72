"""Checking an approval record: is this file (or this SHA-256) one Clearance made, and does it still hold?"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from approvals.documents.records import round_outcome
from approvals.models import ApprovalRecord, ApprovalRequest

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
Status = ApprovalRequest.Status


@dataclass(frozen=True)
class Verification:
    """The answer to "is this a genuine approval record, and is it the current approval?"."""

    sha256: str
    record: ApprovalRecord | None = None
    current: bool = False
    standing: str = ""  # why it is, or is no longer, the current approval
    outcome: str = ""  # what the round decided

    @property
    def genuine(self) -> bool:
        return self.record is not None

    @property
    def outcome_label(self) -> str:
        return Status(self.outcome).label if self.outcome else ""

    @property
    def summary(self) -> str:
        """What anyone may be told: whether it is genuine and whether it is the current approval."""
        if self.record is None:
            return "No approval record with this SHA-256 was issued by Clearance."
        if self.current:
            return "This is a genuine approval record, and it is the current approval."
        return "This is a genuine approval record, but it is not the current approval."

    def as_json(self, *, detailed: bool = False) -> dict[str, Any]:
        """The answer as JSON. Only people who may see the use case get `detailed`: its reference, title,
        outcome and why it stands or no longer does (a suspension's reason is free text)."""
        if self.record is None:
            return {"genuine": False, "sha256": self.sha256, "message": self.summary}
        if not detailed:
            return {"genuine": True, "sha256": self.sha256, "current": self.current, "message": self.summary}
        round = self.record.round
        return {
            "genuine": True,
            "sha256": self.sha256,
            "use_case": {"reference": round.use_case.reference, "title": round.use_case.title},
            "round": round.number,
            "outcome": self.outcome,
            "outcome_label": self.outcome_label,
            "round_status": round.status,
            "current": self.current,
            "standing": self.standing,
            "snapshot_sha256": self.record.snapshot_sha256,
            "decided_at": round.decided_at.isoformat() if round.decided_at else None,
            "expires_on": round.expires_on.isoformat() if round.expires_on else None,
            "issued_at": self.record.created_at.isoformat(),
            "pages": self.record.pages,
            "size": self.record.size,
        }


def normalise_sha256(value: str) -> str:
    """Lower-case, without surrounding space; raises ValueError unless it is 64 hexadecimal digits."""
    value = (value or "").strip().lower()
    if not SHA256_RE.match(value):
        raise ValueError("A SHA-256 is 64 hexadecimal digits (0–9, a–f).")
    return value


def _standing(round: ApprovalRequest, superseded: bool, today: date) -> tuple[bool, str]:
    if round.status == Status.REJECTED:
        return False, "This round was rejected: the record documents a refusal."
    if round.status in (Status.SUSPENDED, Status.REVOKED):
        why = f": {round.closed_reason}" if round.closed_reason else "."
        return False, f"This approval was {round.get_status_display().lower()}{why}"
    if round.status == Status.EXPIRED or (round.expires_on and round.expires_on < today):
        return False, f"This approval expired on {round.expires_on}."
    if superseded:
        return False, "A later review round superseded this one."
    if round.status in ApprovalRequest.APPROVED_STATUSES:
        until = f" until {round.expires_on}" if round.expires_on else ""
        return True, f"This is the current approval of {round.use_case.reference}{until}."
    return False, f"This round is {round.get_status_display().lower()}."


def record_verify(*, data: bytes | None = None, sha256: str | None = None) -> Verification:
    """Look a record up by its file's bytes or its SHA-256 (exactly one of them).

    Raises ValueError for a malformed SHA-256. A file that is not a record, or was altered by even a
    byte, has another SHA-256 and is reported as not genuine.
    """
    if (data is None) == (sha256 is None):
        raise ValueError("Give either the file or its SHA-256.")
    digest = hashlib.sha256(data).hexdigest() if data is not None else normalise_sha256(sha256)
    record = ApprovalRecord.objects.select_related("round__use_case").filter(sha256=digest).first()
    if record is None:
        return Verification(sha256=digest)
    round = record.round
    later = ApprovalRequest.objects.filter(use_case_id=round.use_case_id, number__gt=round.number).exclude(
        status=Status.WITHDRAWN
    )
    current, standing = _standing(round, later.exists(), timezone.localdate())
    return Verification(sha256=digest, record=record, current=current, standing=standing, outcome=round_outcome(round))
