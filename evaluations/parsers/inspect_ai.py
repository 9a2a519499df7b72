"""Inspect AI eval logs: the `.eval` archive (a zip of header.json and one JSON file per sample) and the
`--log-format=json` file (one object: `eval`, `results`, `stats`, then `samples`).

Each sample's scores (one per scorer) are counted against the task's name; a score passes when Inspect would
read it as 1.0 ("C" correct, true, or a number of at least 1). Latency is the sample's `total_time`; tokens
are its `model_usage` summed over the models it used."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib

import ijson
import zstandard

from evaluations.models import Harness
from evaluations.parsers.base import ParsedRun, ParseError, number, text, timestamp

# What one member of an archive may expand to, and all of them together: a sample is kilobytes.
MEMBER_MAX = 64 * 1024 * 1024
ARCHIVE_MAX = 4 * 1024 * 1024 * 1024
# Inspect compresses its archives' members with Zstandard.
ZSTANDARD = 93
# signature, version, flags, method, time, date, crc, sizes, then the name's and the extra field's lengths.
LOCAL_HEADER = struct.Struct("<4s5H3L2H")
LETTERS = {"C": 1.0, "I": 0.0, "P": 0.5, "N": 0.0}
WORDS = {"yes": 1.0, "true": 1.0, "correct": 1.0, "no": 0.0, "false": 0.0, "incorrect": 0.0}


def _as_float(value) -> float | None:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, str):
        stripped = value.strip()
        return LETTERS.get(stripped, WORDS.get(stripped.lower(), number(stripped)))
    return number(value)


def _header(run: ParsedRun, header: dict) -> None:
    if not isinstance(header, dict) or not isinstance(header.get("eval"), dict):
        raise ParseError("This is not an Inspect eval log: it has no `eval` section.")
    if header.get("status") == "started":
        raise ParseError("This Inspect log is of a run that had not finished (status: started).")
    spec = header["eval"]
    packages = spec.get("packages") if isinstance(spec.get("packages"), dict) else {}
    run.harness_version = text(packages.get("inspect_ai"))
    dataset = spec.get("dataset") if isinstance(spec.get("dataset"), dict) else {}
    run.title, run.dataset = text(spec.get("task")), text(dataset.get("name"))
    model = text(spec.get("model"))
    run.model = model
    run.provider = model.split("/", 1)[0] if "/" in model else ""
    run.run_at = timestamp(spec.get("created"))


def _sample(run: ParsedRun, sample: dict) -> None:
    if not isinstance(sample, dict):
        raise ParseError("A sample of the log is not an object.")
    scores = sample.get("scores") if isinstance(sample.get("scores"), dict) else {}
    outcomes = []
    for scorer, score in scores.items():
        value = score.get("value") if isinstance(score, dict) else score
        parts = value.items() if isinstance(value, dict) else [("", value)]
        for key, part in parts:
            graded = _as_float(part)
            passed = None if graded is None else graded >= 1.0
            run.grade(run.title, f"{scorer}/{key}" if key else scorer, passed=passed, score=graded)
            outcomes.append(passed)
    if not outcomes:
        run.grade(run.title, "(not scored)", passed=None)
    graded = [o for o in outcomes if o is not None]
    run.sample(passed=(all(graded) if graded else None) if not sample.get("error") else False)
    seconds = number(sample.get("total_time"))
    if seconds is not None:
        run.latency(seconds * 1000)
    usage = sample.get("model_usage")
    if isinstance(usage, dict) and usage:
        tokens_in = sum(number(u.get("input_tokens")) or 0 for u in usage.values() if isinstance(u, dict))
        tokens_out = sum(number(u.get("output_tokens")) or 0 for u in usage.values() if isinstance(u, dict))
        run.usage(tokens_in, tokens_out)


def parse_archive(handle) -> ParsedRun:
    run = ParsedRun(harness=Harness.INSPECT)
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > ARCHIVE_MAX:
                raise ParseError("The archive expands to more than Clearance reads.")
            names = {m.filename: m for m in members}
            if "header.json" not in names:
                raise ParseError("This archive is not an Inspect .eval log: it has no header.json.")
            _header(run, _member(archive, names["header.json"]))
            for member in members:
                if member.filename.startswith("samples/") and member.filename.endswith(".json"):
                    _sample(run, _member(archive, member))
    except (zipfile.BadZipFile, EOFError, zlib.error) as error:
        raise ParseError(f"The .eval archive is damaged or truncated ({error}).") from None
    return run.finish()


def _zstd_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A member compressed with Zstandard (method 93), which Inspect writes and Python's zipfile reads only
    from 3.14: its data starts after the local header, whose name and extra fields have their own lengths."""
    handle = archive.fp
    handle.seek(member.header_offset)
    local = handle.read(LOCAL_HEADER.size)
    if len(local) != LOCAL_HEADER.size or local[:4] != b"PK\x03\x04":
        raise ParseError(f"{text(member.filename)} in the archive has a damaged header.")
    name_length, extra_length = LOCAL_HEADER.unpack(local)[-2:]
    handle.seek(member.header_offset + LOCAL_HEADER.size + name_length + extra_length)
    compressed = handle.read(member.compress_size)
    if len(compressed) != member.compress_size:
        raise ParseError("The .eval archive is truncated.")
    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(compressed), read_across_frames=True)
    try:
        return reader.read(MEMBER_MAX + 1)
    except zstandard.ZstdError:
        raise ParseError(f"{text(member.filename)} in the archive is damaged.") from None


def _member(archive: zipfile.ZipFile, member: zipfile.ZipInfo):
    if member.file_size > MEMBER_MAX:
        raise ParseError(f"{text(member.filename)} in the archive is larger than Clearance reads.")
    if member.compress_type == ZSTANDARD:
        raw = _zstd_member(archive, member)
    elif member.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        with archive.open(member) as opened:
            raw = opened.read(MEMBER_MAX + 1)
    else:
        raise ParseError(f"{text(member.filename)} in the archive is compressed in a way Clearance does not read.")
    if len(raw) > MEMBER_MAX:
        raise ParseError(f"{text(member.filename)} in the archive is larger than Clearance reads.")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ParseError(f"{text(member.filename)} in the archive is not valid JSON.") from None


def parse_json(handle) -> ParsedRun:
    run = ParsedRun(harness=Harness.INSPECT)
    try:
        # The header's sections come before the samples, so each is found without reading past them.
        header = {}
        for key in ("eval", "status"):
            handle.seek(0)
            header[key] = next(ijson.items(handle, key, use_float=True), None)
        _header(run, header)
        handle.seek(0)
        for sample in ijson.items(handle, "samples.item", use_float=True):
            _sample(run, sample)
    except ijson.IncompleteJSONError:
        raise ParseError("The log ends before its JSON does: the file is truncated.") from None
    except ijson.JSONError as error:
        raise ParseError(f"The log is not valid JSON ({text(error, 200)}).") from None
    return run.finish()
