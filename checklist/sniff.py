"""What kind of file an upload is, decided by its content, never by the name or type the client sent.

Evidence is read by reviewers on their own machines, so only kinds they can open safely are taken:
documents and images, plain text and tabular or structured data, and the result files of the evaluation
tools the checklist asks about (Inspect AI `.eval` logs are zip archives; promptfoo writes JSON; garak
writes JSON Lines).
"""

import codecs
import csv
import io
import json
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

ACCEPTED = (
    "PDF, PNG, JPEG, GIF, WebP, office documents (Word, Excel, PowerPoint, OpenDocument), plain text, CSV, "
    "JSON, JSON Lines, and Inspect AI evaluation logs (.eval)"
)


@dataclass(frozen=True)
class Kind:
    content_type: str
    label: str


PDF = Kind("application/pdf", "PDF")
PNG = Kind("image/png", "PNG image")
JPEG = Kind("image/jpeg", "JPEG image")
GIF = Kind("image/gif", "GIF image")
WEBP = Kind("image/webp", "WebP image")
OOXML = {
    "word/": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document"),
    "xl/": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel workbook"),
    "ppt/": Kind("application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint deck"),
}
OLE = Kind("application/x-ole-storage", "legacy Office document")
INSPECT_EVAL = Kind("application/vnd.inspect-ai.eval+zip", "Inspect AI evaluation log")
JSON = Kind("application/json", "JSON")
JSONL = Kind("application/jsonl", "JSON Lines")
CSV = Kind("text/csv", "CSV")
TEXT = Kind("text/plain", "plain text")

_MAGIC = [
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
]
_ODF_PREFIX = "application/vnd.oasis.opendocument."
# Inspect AI writes these members into every `.eval` log.
_INSPECT_MEMBERS = {"header.json", "_journal/start.json"}
_MAX_ZIP_MEMBERS = 100_000
_TEXT_CONTROL = set(range(0, 32)) - {9, 10, 12, 13}


def sniff(file: BinaryIO) -> Kind | None:
    """The kind of `file` (a seekable binary file, read from the start), or None when it is not one we
    accept. Leaves the file at its start."""
    try:
        file.seek(0)
        head = file.read(16)
        for magic, kind in _MAGIC:
            if head.startswith(magic):
                return kind
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return WEBP
        if head[:4] == b"PK\x03\x04":
            return _sniff_zip(file)
        return _sniff_text(file)
    finally:
        file.seek(0)


def _sniff_zip(file: BinaryIO) -> Kind | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            if len(infos) > _MAX_ZIP_MEMBERS:
                return None
            names = {info.filename for info in infos}
            if "mimetype" in names and infos[0].filename == "mimetype":
                mimetype = archive.read("mimetype")[:200].decode("ascii", "replace").strip()
                if mimetype.startswith(_ODF_PREFIX):
                    return Kind(mimetype, "OpenDocument file")
            if "[Content_Types].xml" in names:
                for prefix, kind in OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
                return None
            if names & _INSPECT_MEMBERS:
                return INSPECT_EVAL
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    return None


def _read_text(file: BinaryIO) -> str | None:
    """The whole file as UTF-8 text (a BOM allowed), or None when it is not text."""
    file.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
    parts = []
    try:
        while chunk := file.read(64 * 1024):
            if any(byte in _TEXT_CONTROL for byte in set(chunk)):
                return None
            parts.append(decoder.decode(chunk))
        parts.append(decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        return None
    return "".join(parts)


def _sniff_text(file: BinaryIO) -> Kind | None:
    text = _read_text(file)
    if text is None or not text.strip():
        return None
    stripped = text.strip()
    if stripped[0] in "[{":
        try:
            json.loads(stripped)
        except ValueError:
            pass
        else:
            return JSON
        lines = [line for line in stripped.splitlines() if line.strip()]
        if len(lines) > 1 and all(_is_json_object(line) for line in lines):
            return JSONL
    if _looks_like_csv(stripped):
        return CSV
    return TEXT


def _is_json_object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _looks_like_csv(text: str) -> bool:
    """At least two rows, every one with the same number (two or more) of fields."""
    sample = text[: 64 * 1024].splitlines()
    if len(text) > 64 * 1024:
        sample = sample[:-1]  # the last line of the sample may be cut short
    sample = sample[:50]
    if len(sample) < 2:
        return False
    for delimiter in (",", ";", "\t"):
        try:
            widths = {len(row) for row in csv.reader(io.StringIO("\n".join(sample)), delimiter=delimiter) if row}
        except csv.Error:
            continue
        if len(widths) == 1 and widths.pop() >= 2:
            return True
    return False
