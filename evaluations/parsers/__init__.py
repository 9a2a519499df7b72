"""Reading harness result files: which harness wrote a file, told from its content (never its name), and that
harness's parser. Each parser streams the file and counts as it goes; each refuses what it cannot read with a
`ParseError` whose message is for the person importing the file."""

from __future__ import annotations

import json

import ijson

from evaluations.parsers import garak, inspect_ai, lm_eval, promptfoo
from evaluations.parsers.base import ParsedRun, ParseError
from evaluations.parsers.guard import check_structure

__all__ = ["ParseError", "ParsedRun", "parse_file"]

ZIP_MAGIC = b"PK\x03\x04"
PEEK = 64 * 1024
# Top-level keys each JSON format starts with.
INSPECT_KEYS = {"eval", "plan", "samples", "reductions"}
PROMPTFOO_KEYS = {"evalId", "shareableUrl"}
LM_EVAL_KEYS = {"group_subtasks", "configs", "versions", "n-shot", "n-samples", "lm_eval_version"}


def _first_line(handle) -> dict | None:
    handle.seek(0)
    line = handle.readline(PEEK)
    try:
        value = json.loads(line)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def _top_level_keys(handle, limit: int = 8) -> set[str]:
    """The first top-level keys of a JSON object, read without building their values."""
    handle.seek(0)
    keys: set[str] = set()
    try:
        for prefix, event, value in ijson.parse(handle):
            if prefix == "" and event == "map_key":
                keys.add(value)
                if len(keys) >= limit or keys & (INSPECT_KEYS | PROMPTFOO_KEYS):
                    break
            elif prefix == "" and event not in ("start_map", "end_map"):
                break
    except ijson.JSONError:
        pass
    return keys


def detect(handle) -> str:
    handle.seek(0)
    start = handle.read(PEEK)
    if start.startswith(ZIP_MAGIC):
        return "inspect-archive"
    if not start.lstrip().startswith(b"{"):
        raise ParseError(
            "Clearance reads Inspect AI logs (.eval or .json), promptfoo results (.json), garak reports "
            "(.report.jsonl) and lm-eval results (.json); this file is none of them."
        )
    first = _first_line(handle)
    if first is not None and "entry_type" in first:
        return "garak"
    # Before any streaming parser reads it, not even for its first keys.
    check_structure(handle)
    keys = _top_level_keys(handle)
    if keys & PROMPTFOO_KEYS:
        return "promptfoo"
    if keys & LM_EVAL_KEYS:
        return "lm-eval"
    if keys & INSPECT_KEYS or {"version", "status"} <= keys:
        return "inspect-json"
    if "results" in keys:
        return "promptfoo"
    raise ParseError(
        "This JSON is not a result file Clearance knows: expected an Inspect AI log, a promptfoo result, a garak "
        "report or lm-eval results."
    )


PARSERS = {
    "inspect-archive": inspect_ai.parse_archive,
    "inspect-json": inspect_ai.parse_json,
    "promptfoo": promptfoo.parse,
    "garak": garak.parse,
    "lm-eval": lm_eval.parse,
}


def parse_file(handle) -> ParsedRun:
    """The run in the binary, seekable file `handle`, whichever harness wrote it."""
    kind = detect(handle)
    handle.seek(0)
    return PARSERS[kind](handle)
