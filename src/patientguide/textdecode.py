"""Bytes of a text file → text, or the exact place where it stops being text.

Reference managers write UTF-8 (with or without a byte-order mark), and on Windows sometimes
UTF-16 with a byte-order mark or a legacy code page such as Windows-1252. The first three are
read here; anything else raises :class:`NotText` with the 1-based ``line:col`` (in characters,
as an editor counts them) of the first byte that is not UTF-8. Line breaks are normalised to
``\\n`` as Python's universal newlines do (``\\r\\n`` and a lone ``\\r`` both end a line), so
positions match an editor's whatever the file's line endings.
"""

from __future__ import annotations

import codecs

#: Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class NotText(ValueError):
    """The bytes are not text in a supported encoding; ``line``/``col`` is the first bad place."""

    def __init__(self, line: int, col: int, reason: str) -> None:
        super().__init__(f"{line}:{col}: {reason}")
        self.line, self.col, self.reason = line, col, reason


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM optional), or UTF-16/UTF-32 with a BOM; newlines normalised to ``\\n``."""
    encoding, start = "utf-8", 0
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, start = name, len(bom)
            break
    body = data[start:]
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as e:
        raise _not_text(body, encoding, e.start) from None
    if encoding == "utf-8" and "\x00" in text:
        at = body.index(b"\x00")
        raise NotText(*_position(body[:at].decode("utf-8")),
                      "it holds NUL bytes, so it is probably UTF-16 without a byte-order mark")
    return normalise_newlines(text)


def _not_text(body: bytes, encoding: str, bad: int) -> NotText:
    unit = {"utf-8": 1, "utf-16-le": 2, "utf-16-be": 2}.get(encoding, 4)
    bad -= bad % unit
    line, col = _position(body[:bad].decode(encoding))
    if encoding != "utf-8":
        return NotText(line, col, f"not valid {encoding.upper()}, although it starts with that byte-order mark")
    byte = body[bad]
    try:
        as_1252 = bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        as_1252 = ""
    guess = f" (in Windows-1252 it would be '{as_1252}')" if as_1252.isprintable() and as_1252 else ""
    return NotText(line, col, f"byte 0x{byte:02X} is not UTF-8{guess}")


def _position(prefix: str) -> tuple[int, int]:
    """1-based line and column just after ``prefix``."""
    prefix = normalise_newlines(prefix)
    return prefix.count("\n") + 1, len(prefix) - (prefix.rfind("\n") + 1) + 1
