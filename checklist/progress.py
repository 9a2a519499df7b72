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


@dataclass
class SectionRows:
    """One section's rows, as a page lays them out; `form` answers those the viewer may answer."""

    section: object  # ChecklistSection
    rows: list[dict]
    form: object = None  # ChecklistAnswersForm, or None when the viewer answers none of them here

    @property
    def answerable(self) -> bool:
        return any(row["can_answer"] for row in self.rows)


def by_section(rows: list[dict]) -> list[SectionRows]:
    """`rows` (in section order) grouped by their section."""
    groups: dict[int, SectionRows] = {}
    for row in rows:
        section = row["item"].section
        groups.setdefault(section.pk, SectionRows(section, [])).rows.append(row)
    return list(groups.values())


@dataclass(frozen=True)
class YourItems:
    """How many of the items the viewer may answer are answered."""

    answered: int
    total: int

    @property
    def open(self) -> int:
        return self.total - self.answered


def your_items(rows: list[dict]) -> YourItems:
    yours = [row for row in rows if row["can_answer"]]
    return YourItems(sum(1 for row in yours if row["answer"] is not None), len(yours))
