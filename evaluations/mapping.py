"""Which failure mode a harness's test measures: the most specific `FailureModeMapping` for its name."""

from collections.abc import Iterable

from evaluations.models import FailureModeMapping


class FailureModeMap:
    """The mappings, loaded once (one query), asked for any number of tests."""

    def __init__(self, mappings: Iterable[FailureModeMapping]):
        self._exact: dict[tuple[str, str], str] = {}
        self._prefixes: list[tuple[str, str, str]] = []
        for m in mappings:
            pattern = m.pattern.strip().casefold()
            if pattern.endswith("*"):
                self._prefixes.append((m.harness, pattern[:-1], m.failure_mode))
            else:
                self._exact[(m.harness, pattern)] = m.failure_mode
        # A harness's own before any harness's; then the longest prefix.
        self._prefixes.sort(key=lambda p: (p[0] == "", -len(p[1])))

    @classmethod
    def load(cls) -> "FailureModeMap":
        return cls(FailureModeMapping.objects.all())

    def mode_for(self, harness: str, *names: str) -> str | None:
        """The mode of the first of `names` (a test's name, then its detail) that a mapping covers, or None."""
        # A registered task is named with its package ("inspect_evals/xstest"): its own name is tried too.
        tried = [part for name in names for part in dict.fromkeys([name or "", (name or "").rsplit("/", 1)[-1]])]
        for name in tried:
            folded = name.strip().casefold()
            if not folded:
                continue
            for scope in (harness, ""):
                if (scope, folded) in self._exact:
                    return self._exact[(scope, folded)]
            for scope, prefix, mode in self._prefixes:
                if scope in (harness, "") and folded.startswith(prefix):
                    return mode
        return None
