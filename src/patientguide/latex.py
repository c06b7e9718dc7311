"""A small, fast LaTeX-to-Unicode decoder for the accents and symbols found in BibTeX files.

bibtexparser's LatexDecodingMiddleware (pylatexenc) is correct but slow (seconds for a few
thousand entries); reference lists need only accents, a few symbols and brace removal.
Braces that protect a whole value (``{{World Health Organization}}``) are reported by
:func:`is_braced_whole` before they are stripped, so corporate authors stay whole.
"""

from __future__ import annotations

import re
import unicodedata

from . import lazyre

_COMBINING = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331", "t": "\u0361",
}
_SYMBOLS = {
    "ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ",
    "OE": "Œ", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ",
    "TH": "Þ", "ng": "ŋ", "NG": "Ŋ", "textendash": "–", "textemdash": "—", "textquoteright": "’",
    "textquoteleft": "‘", "textregistered": "®", "texttrademark": "™", "textcopyright": "©",
    "textdegree": "°", "textmu": "µ", "textpm": "±", "texttimes": "×", "textellipsis": "…",
    "ldots": "…", "dots": "…", "S": "§", "P": "¶", "pounds": "£", "euro": "€",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "mu": "μ", "pm": "±", "times": "×",
    "leq": "≤", "geq": "≥", "le": "≤", "ge": "≥", "degree": "°",
}
_ESCAPED = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "{", "}": "}", "\\": "\n", " ": " ", ",": "\u202f"}

_ACCENT = lazyre.compile(
    r"\\(?P<acc>['`^\"~=.]|[uvHckrdbt](?=[\s{]))\s*(?:\{\s*(?P<b>\\?[A-Za-z]?)\s*\}|(?P<c>\\?[A-Za-z]))"
)
_SYMBOL = lazyre.compile(r"\\(?P<name>[A-Za-z]+)(?:\{\}|\s+|(?![A-Za-z]))")
_ESCAPE = lazyre.compile(r"\\(?P<ch>[&%$#_{}\\ ,])")
_FONT = lazyre.compile(r"\\(?:textit|textbf|emph|textsc|textrm|textsf|texttt|mathrm|mbox|url"
                   r"|textsuperscript|textsubscript)\s*(?=\{)")
#: ``\href{address}{text}`` (PubMed exports put one in ``note``): the text stays, the address goes.
_HREF = lazyre.compile(r"\\href\s*\{[^{}]*\}")
_DASHES = [("---", "—"), ("--", "–")]
_QUOTES = [("``", "“"), ("''", "”")]


def _accent(m: re.Match) -> str:
    base = m.group("b") if m.group("b") is not None else m.group("c")
    if base in ("\\i", "i") and m.group("acc") not in ("c", "k", "d", "b"):
        base = "i"
    elif base == "\\j":
        base = "j"
    if not base:
        return _COMBINING.get(m.group("acc"), "").strip() or ""
    return unicodedata.normalize("NFC", base + _COMBINING[m.group("acc")])


def _symbol(m: re.Match) -> str:
    name = m.group("name")
    return _SYMBOLS.get(name, m.group(0))


def decode(value: str) -> str:
    """LaTeX text → Unicode text; braces removed, ``~`` → no-break space."""
    if "\\" not in value and "{" not in value and "-" not in value and "~" not in value and "`" not in value \
            and "$" not in value:
        return value
    s = value
    if "\\" in s:
        s = _HREF.sub("", s)
        s = _FONT.sub("", s)
        s = _ACCENT.sub(_accent, s)
        s = _SYMBOL.sub(_symbol, s)
        placeholders: list[str] = []

        def keep(m: re.Match) -> str:
            placeholders.append(_ESCAPED[m.group("ch")])
            return f"\x00{len(placeholders) - 1}\x00"

        s = _ESCAPE.sub(keep, s)
    else:
        placeholders = []
    s = s.replace("{", "").replace("}", "").replace("$", "")  # math delimiters: $\pm$ → ±; an escaped \$ was kept above
    for a, b in _DASHES + _QUOTES:
        s = s.replace(a, b)
    s = s.replace("~", "\u00a0")
    if placeholders:
        s = re.sub(r"\x00(\d+)\x00", lambda m: placeholders[int(m.group(1))], s)
    return re.sub(r"[ \t\r\n]+", " ", s).strip()


_BRACE = lazyre.compile(r"[{}]")


def is_braced_whole(value: str) -> bool:
    """True for ``{World Health Organization}``: one brace group around the whole value."""
    v = value.strip()
    if not (v.startswith("{") and v.endswith("}")):
        return False
    depth = 0
    last = len(v) - 1
    for m in _BRACE.finditer(v):
        if m.group() == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.start() == last
    return False


def split_top_level(value: str, sep: str) -> list[str]:
    """Split on ``sep`` (a word such as ``and``) outside braces, case-insensitively."""
    pat = _SEPARATORS.get(sep)
    if pat is None:
        pat = _SEPARATORS[sep] = re.compile(rf"\s+{re.escape(sep)}\s+", re.I)
    if "{" not in value:
        return [p.strip() for p in pat.split(value) if p.strip()]
    parts: list[str] = []
    start = 0
    depth = 0
    counted = 0  # braces are counted up to here
    for m in pat.finditer(value):
        chunk = value[counted:m.start()]
        depth += chunk.count("{") - chunk.count("}")
        counted = m.start()
        if depth == 0:
            parts.append(value[start:m.start()])
            start = m.end()
    parts.append(value[start:])
    return [p.strip() for p in parts if p.strip()]


_SEPARATORS: dict[str, re.Pattern] = {}
