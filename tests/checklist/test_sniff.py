"""Kinds of evidence file, told by their content."""

import io
import json
import zipfile

import pytest

from checklist import sniff as s


def zipped(members: dict[str, bytes], first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(first, members.pop(first), compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def kind(data: bytes):
    return s.sniff(io.BytesIO(data))


ACCEPTED = [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", s.PDF),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", s.PNG),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", s.JPEG),
    (b"GIF89a\x01\x00\x01\x00", s.GIF),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", s.WEBP),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, s.OLE),
    (zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}), s.OOXML["word/"]),
    (zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"}), s.OOXML["xl/"]),
    (zipped({"header.json": b"{}", "samples/1_epoch_1.json": b"{}"}), s.INSPECT_EVAL),
    (json.dumps({"results": {"stats": {"successes": 3}}}).encode(), s.JSON),
    (b'{"entry_type": "attempt", "status": 2}\n{"entry_type": "eval", "passed": 9}\n', s.JSONL),
    (b"model,probe,passed\nqwen,dan,9\nqwen,encoding,7\n", s.CSV),
    (b"\xef\xbb\xbfDPIA signed 2026-11-01\nby the privacy office.\n", s.TEXT),
    ("Évaluation du modèle — 通义千问\n".encode(), s.TEXT),
]


@pytest.mark.parametrize("data, expected", ACCEPTED, ids=[k.label + str(i) for i, (_, k) in enumerate(ACCEPTED)])
def test_it_recognises_accepted_kinds(data, expected):
    assert kind(data) == expected


def test_it_recognises_an_opendocument_file_by_its_mimetype_member():
    data = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}, first="mimetype")
    assert kind(data).content_type == "application/vnd.oasis.opendocument.text"


REFUSED = {
    "executable": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
    "elf": b"\x7fELF\x02\x01\x01\x00",
    "markup with a nul byte": b"<html><script>alert(1)</script></html>\x00",
    "binary with nul": b"plain words\x00then binary",
    "latin-1 bytes": b"caf\xe9 cr\xe8me\n",
    "any zip": zipped({"payload.exe": b"MZ"}),
    "zip with content types but no office part": zipped({"[Content_Types].xml": b"<Types/>", "x.bin": b"1"}),
    "truncated zip": zipped({"header.json": b"{}"})[:20],
    "empty": b"",
    "blank": b"   \n\n",
}


@pytest.mark.parametrize("name", REFUSED)
def test_it_refuses_everything_else(name):
    assert kind(REFUSED[name]) is None


def test_a_broken_json_object_is_plain_text_not_json():
    assert kind(b'{"results": [1, 2,\n') == s.TEXT


def test_it_leaves_the_file_at_its_start():
    file = io.BytesIO(b"%PDF-1.4 rest")
    s.sniff(file)
    assert file.tell() == 0
