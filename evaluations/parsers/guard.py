"""A look over a JSON file before it is streamed: a streaming parser names every value by its path, so a file
nested thousands of levels deep, or with a key megabytes long, costs it time and memory that grow with the
square of the file. Both are refused here, at the speed of the C functions the scan is made of."""

from __future__ import annotations

import re
from array import array
from itertools import accumulate

from evaluations.parsers.base import ParseError

MAX_DEPTH = 100
MAX_KEY = 10_000
CHUNK = 1024 * 1024

_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_STRING = re.compile(rb'"[^"]*"')
_STRUCTURE = b'"[]{}'
_DROP = bytes(b for b in range(256) if b not in _STRUCTURE)
# Opening brackets to +1 and closing ones to -1 (255 read as a signed byte).
_SIGNS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_LONG_KEY = re.compile(rb'"[^"]{%d,}"\s*:' % MAX_KEY)
_LONG_KEY_TAIL = re.compile(rb'\A[^"]{%d,}"\s*:' % MAX_KEY)


def check_structure(handle) -> None:
    """Refuse a JSON file nested deeper than MAX_DEPTH or with a key longer than MAX_KEY characters; leave
    the file at its start."""
    handle.seek(0)
    depth, in_string, carry = 0, False, b""
    while chunk := handle.read(CHUNK):
        chunk = carry + chunk
        carry = b""
        # A backslash at the end may escape the next chunk's first byte.
        if (len(chunk) - len(chunk.rstrip(b"\\"))) % 2:
            chunk, carry = chunk[:-1], b"\\"
        chunk = _ESCAPE.sub(b"", chunk)
        if _LONG_KEY.search(chunk) or (in_string and _LONG_KEY_TAIL.search(chunk)):
            raise ParseError(f"The file has a key longer than {MAX_KEY:,} characters; Clearance does not read it.")
        kept = (b'"' if in_string else b"") + chunk.translate(None, _DROP)
        kept = _STRING.sub(b"", kept)
        quote = kept.find(b'"')
        in_string = quote >= 0
        if in_string:
            kept = kept[:quote]
        running = list(accumulate(array("b", kept.translate(_SIGNS)), initial=depth))
        if max(running) > MAX_DEPTH:
            raise ParseError(f"The file is nested more than {MAX_DEPTH} levels deep; Clearance does not read it.")
        depth = running[-1]
    handle.seek(0)
