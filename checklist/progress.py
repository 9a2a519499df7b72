"""How far a checklist is answered, section by section: pure, over the rows a page already loaded."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SectionProgress:
    section_id: int
    title: str
    answered: int
    total: int
    open_for_user: int  # unanswered items the viewer may answer

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100

    @property
    def done(self) -> bool:
        return self.answered == self.total


def section_progress(rows: list[dict]) -> list[SectionProgress]:
    """`rows` as `checklist_rows` builds them (item, answer, can_answer), in section order."""
    sections: dict[int, dict] = {}
    for row in rows:
        section = row["item"].section
        entry = sections.setdefault(section.pk, {"title": section.title, "answered": 0, "total": 0, "open": 0})
        entry["total"] += 1
        if row["answer"] is not None:
            entry["answered"] += 1
        elif row["can_answer"]:
            entry["open"] += 1
    return [SectionProgress(pk, e["title"], e["answered"], e["total"], e["open"]) for pk, e in sections.items()]
