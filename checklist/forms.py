"""The form that answers several checklist items together: a section of them on the use case page, all of a
function's on a sign page."""

from django import forms

from checklist.models import Answer, ChecklistItem
from checklist.services import AnswersInvalid
from governance.limits import PROSE, BoundedCharField


class ChecklistAnswersForm(forms.Form):
    """A response and a justification for each of `rows` that the user may answer.

    `rows` are checklist rows (a section's, or a function's across sections) as `checklist_rows` builds them
    (item, answer, can_answer); each row the user may answer gets its two bound fields ("response_field",
    "justification_field") and, once the form is validated or the service refused it, its "errors", so a
    template lays the form out row by row.
    """

    def __init__(self, *args, rows: list[dict], **kwargs):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.rows = [row for row in rows if row["can_answer"]]
        for row in self.rows:
            item, answer = row["item"], row["answer"]
            # An answered item can be changed, not taken back: its list has no empty choice.
            choices = list(Answer.Response.choices)
            if answer is None:
                choices.insert(0, ("", "Choose…"))
            self.fields[f"response-{item.pk}"] = forms.ChoiceField(
                label=f"Answer to {item.code}",
                choices=choices,
                required=False,
                initial=answer.response if answer else "",
            )
            self.fields[f"justification-{item.pk}"] = BoundedCharField(
                label=f"Justification for {item.code}",
                max_length=PROSE,
                required=False,
                initial=answer.justification if answer else "",
                widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Justification (needed unless yes)"}),
            )
            row["response_field"] = self[f"response-{item.pk}"]
            row["justification_field"] = self[f"justification-{item.pk}"]
            row["errors"] = []

    def clean(self):
        # The service's rules for a row, checked here too so that every row's problems show at once, also when
        # another row already failed its field checks (the service then is not asked).
        data = super().clean()
        for row in self.rows:
            pk = row["item"].pk
            response, justification = f"response-{pk}", f"justification-{pk}"
            if response not in data or justification not in data or not self._sent(row):
                continue
            given, why = data[response], data[justification].strip()
            if not given and (why or row["answer"] is not None):
                self.add_error(response, "Choose an answer.")
            elif given and given != Answer.Response.YES and not why:
                self.add_error(justification, "Explain any answer other than yes.")
        return data

    def full_clean(self):
        super().full_clean()
        for row in self.rows:
            self._mark(row)

    def answers(self) -> dict[ChecklistItem, tuple[str, str]]:
        """The (response, justification) of each row sent, for `answers_record`; a row whose fields were not sent
        at all is left as it is."""
        data = self.cleaned_data
        return {
            row["item"]: (data.get(f"response-{row['item'].pk}", ""), data.get(f"justification-{row['item'].pk}", ""))
            for row in self.rows
            if self._sent(row)
        }

    def _sent(self, row: dict) -> bool:
        pk = row["item"].pk
        return f"response-{pk}" in self.data or f"justification-{pk}" in self.data

    def refused(self, exc: AnswersInvalid) -> None:
        """Put the service's errors next to the rows they are about."""
        for row in self.rows:
            fields = exc.by_item.get(row["item"], {})
            for field, messages in fields.items():
                name = "justification" if field == "justification" else "response"
                for message in messages:
                    self.add_error(f"{name}-{row['item'].pk}", message)
            self._mark(row)

    @property
    def rows_with_errors(self) -> list[dict]:
        return [row for row in self.rows if row["errors"]]

    def _mark(self, row: dict) -> None:
        pk = row["item"].pk
        row["errors"] = [*self.errors.get(f"response-{pk}", []), *self.errors.get(f"justification-{pk}", [])]
        for name in (f"response-{pk}", f"justification-{pk}"):
            attrs = self.fields[name].widget.attrs
            if name in self.errors:
                attrs.update({"aria-invalid": "true", "aria-describedby": f"errors-{pk}"})
            else:
                attrs.pop("aria-invalid", None)
                attrs.pop("aria-describedby", None)
