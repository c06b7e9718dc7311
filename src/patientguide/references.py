"""BibTeX files → :class:`Reference` records, with every problem turned into a diagnostic.

bibtexparser 2 collects failures instead of raising them (``library.failed_blocks``) and keys
are case-sensitive there; here nothing is dropped silently: a failed block, a duplicate key
(compared case-insensitively, within or across files), a duplicate field, a missing comma
between fields, a missing required field, a missing or malformed identifier, an unknown
``crossref`` all become diagnostics.

A problem inside one entry is kept with that entry (:attr:`Bibliography.entry_problems`): the
check reports it at full severity when a page cites the entry and as a warning otherwise
(:meth:`Bibliography.entry_diagnostics`), so a shared library file with incomplete entries that
no page uses does not stop the build. A ``crossref`` parent is checked through its children,
each with the fields it inherits. A problem that makes a file or a block unreadable
(:attr:`Bibliography.file_diagnostics`) is an error whatever is cited.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from . import diagnostics as dx
from . import diskcache, evidence_kinds, lazyre
from .crossref import inherited
from .diagnostics import Diagnostic, Severity
from .journal_articles import LOOSE_TYPES, article_signs, missing_article_fields
from .latex import decode, is_braced_whole, split_top_level
from .pickling import ByConstructor
from .textdecode import NotText, decode_text, normalise_newlines

if TYPE_CHECKING:  # bibtexparser is imported when a .bib file is parsed, not when it comes from the cache
    from bibtexparser import model


DOI_RE = lazyre.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = lazyre.compile(r"^[1-9]\d{0,8}$")
URL_RE = lazyre.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)
#: A backslash before these in a url or doi is LaTeX escaping from an export, never part of the address.
_ESCAPED_IN_ADDRESS = lazyre.compile(r"\\([_%&#$~])")

#: Required fields per entry type; a tuple inside means "any one of these".
REQUIRED: dict[str, tuple] = {
    "article": ("author", "title", ("journal", "journaltitle"), ("year", "date")),
    "book": (("author", "editor"), "title", "publisher", ("year", "date")),
    "incollection": ("author", "title", "booktitle", "publisher", ("year", "date")),
    "inbook": (("author", "editor"), "title", ("chapter", "pages", "booktitle"), "publisher", ("year", "date")),
    "inproceedings": ("author", "title", "booktitle", ("year", "date")),
    "proceedings": ("title", ("year", "date")),
    "phdthesis": ("author", "title", "school", ("year", "date")),
    "mastersthesis": ("author", "title", "school", ("year", "date")),
    "techreport": ("author", "title", "institution", ("year", "date")),
    "report": (("author", "institution", "organization"), "title", ("year", "date")),
    "misc": ("title",),
    "online": ("title",),
    "webpage": ("title",),
    "manual": ("title",),
    "unpublished": ("author", "title"),
}


#: Fields kept after checking: what formatting, identifiers and structured data use. Others
#: (abstracts, keywords, file links from reference managers) are dropped to keep memory small.
KEEP_FIELDS = frozenset({
    "title", "journal", "journaltitle", "year", "date", "volume", "number", "issue", "pages", "doi",
    "pmid", "pmcid", "url", "urldate", "publisher", "edition", "booktitle", "organization",
    "institution", "school", "chapter", "month", "address", "language", "type", "series", "note",
    "howpublished", "eprint", "isbn", "issn", "incomplete", "evidence", "population",
})
#: Fields whose text is needed (the others are only checked for syntax and duplicates).
_READ_FIELDS = KEEP_FIELDS | {"author", "editor", "crossref"}


#: Who cites what: each cited entry's lower-case key → the pages that cite it, ``(src_uri, title)``, in page
#: order. Tuples, not lists: nothing changes them once made, and the collector stops following a tuple of
#: strings once it has seen it, where a list stays followed as long as it lives (5000 entries: 5000 objects
#: fewer in every full collection of the build; docs/performance.md, "Who cites what, left to the collector").
CitedOn = dict[str, tuple[tuple[str, str], ...]]


class Name(NamedTuple):  # not a frozen dataclass: see sitecache.KeptReport
    """A person's name, or a corporate author kept whole (``literal``)."""

    family: str = ""
    given: str = ""
    literal: str = ""

    @property
    def display_family(self) -> str:
        return self.literal or self.family


@dataclass(frozen=True, slots=True, eq=False)
class Reference(ByConstructor):
    """One BibTeX entry, fields decoded to Unicode (lower-case field names)."""

    key: str
    type: str
    fields: dict[str, str]
    author_raw: str
    editor_raw: str
    path: str
    line: int

    @property
    def authors(self) -> tuple[Name, ...]:
        """Parsed on first use: only cited entries need their names split."""
        return parse_names(self.author_raw) if self.author_raw else ()

    @property
    def editors(self) -> tuple[Name, ...]:
        return parse_names(self.editor_raw) if self.editor_raw else ()

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    @property
    def doi(self) -> str:
        return self.fields.get("doi", "")

    @property
    def pmid(self) -> str:
        return self.fields.get("pmid", "")

    @property
    def year(self) -> str:
        y = self.fields.get("year") or self.fields.get("date", "")[:4]
        return y


class Bibliography:  # not a dataclass: see caches.Caches
    """All references by lower-cased key, with the problems found while loading.

    ``file_diagnostics`` are problems that make a file or a block unreadable (always errors);
    ``entry_problems`` maps a lower-cased key to the problems found in that entry, at the
    severity they have when a page cites it; ``parents`` maps a key to its ``crossref`` parent's.
    """

    def __init__(self) -> None:
        self.entries: dict[str, Reference] = {}
        self.file_diagnostics: list[Diagnostic] = []
        self.entry_problems: dict[str, list[Diagnostic]] = {}
        self.parents: dict[str, str] = {}

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every problem at full severity, as if every entry were cited."""
        every = self.file_diagnostics + [d for ds in self.entry_problems.values() for d in ds]
        return sorted(every, key=lambda d: d.sort_key)

    def lookup(self, key: str) -> Reference | None:
        return self.entries.get(key.lower())

    def keys(self) -> list[str]:
        return [r.key for r in self.entries.values()]

    def used_keys(self, cited: Iterable[str]) -> set[str]:
        """The cited keys (lower-cased) and the ``crossref`` parents they inherit from."""
        used: set[str] = set()
        for lk in cited:
            node: str | None = lk.lower()
            while node is not None and node not in used:
                used.add(node)
                node = self.parents.get(node)
        return used

    def entry_diagnostics(self, cited: Collection[str]) -> list[Diagnostic]:
        """Each entry's problems: as found for a cited entry (lower-cased keys), at most a warning
        for the others. A crossref parent is checked through its cited children instead: each
        child is checked with the fields it inherits (:func:`completeness_problems`, :func:`_inherit`)."""
        out: list[Diagnostic] = []
        for lk, problems in self.entry_problems.items():
            if lk in cited:
                out += problems
            else:
                out += [_as_unused(d, self.entries.get(lk)) for d in problems]
        return out

    def unused(self, used: Collection[str]) -> list[Reference]:
        """Entries that no page uses (see :meth:`used_keys`), in file order."""
        return [ref for lk, ref in self.entries.items() if lk not in used]


def _as_unused(d: Diagnostic, ref: Reference | None) -> Diagnostic:
    if d.severity.rank <= Severity.WARNING.rank:
        return d
    why = f"a warning because no page cites '{ref.key}'" if ref else "a warning because no page cites this entry"
    return replace(d, severity=Severity.WARNING, hint=f"{d.hint}; {why}" if d.hint else why)


def unused_summary(unused: list[Reference], folder: str) -> list[Diagnostic]:
    """One line for all entries that no page cites (the list is in ``--report`` and JSON)."""
    if not unused:
        return []
    n = len(unused)
    what = f"{n} entries are" if n != 1 else f"1 entry ('{unused[0].key}') is"
    return [dx.make(folder.rstrip("/") + "/", 0, 0, "bib.unused-entry", f"{what} not cited on any page",
                    "listed in 'patientguide check --report' and --format json")]


def read_bib_file(path: Path, rel: str) -> tuple[str | None, list[Diagnostic]]:
    """A ``.bib`` file's text; or ``None`` and why not, at the first byte that is not text."""
    try:
        data = path.read_bytes()
    except OSError as e:
        return None, [dx.make(rel, 1, 0, "bib.unreadable", f"cannot read reference file: {e.strerror}")]
    try:
        return decode_text(data), []
    except NotText as e:
        return None, [dx.make(rel, e.line, e.col, "bib.encoding", f"reference file is not UTF-8 text: {e.reason}",
                              "save it as UTF-8; UTF-16 with a byte-order mark is read too")]


@lru_cache(maxsize=2048)
def parse_names(raw: str) -> tuple[Name, ...]:
    """BibTeX name list → names; ``{Corporate Name}`` stays whole."""
    out = []
    for part in split_top_level(raw, "and"):
        if part.lower() == "others":
            out.append(Name(literal="others"))
            continue
        if is_braced_whole(part):
            out.append(Name(literal=decode(part)))
            continue
        pieces = [p.strip() for p in _split_commas(part)]
        if len(pieces) >= 2:
            family, given = pieces[0], pieces[-1]
            if len(pieces) == 3:
                family = f"{pieces[0]} {pieces[1]}"
        else:
            words = _split_words(part)
            if len(words) == 1:
                family, given = words[0], ""
            else:
                # "First von Last": the family name starts at the first lower-case word
                idx = len(words) - 1
                for i, w in enumerate(words[:-1]):
                    if w[:1].islower() and i > 0:
                        idx = i
                        break
                family, given = " ".join(words[idx:]), " ".join(words[:idx])
        out.append(Name(family=decode(family), given=decode(given)))
    return tuple(out)


def _split_outside_braces(s: str, is_sep: Callable[[str], bool]) -> list[str]:
    """Split where ``is_sep(ch)`` holds at brace depth 0 (BibTeX protects text with braces)."""
    parts: list[str] = []
    depth = 0
    buf: list[str] = []
    for ch in s:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if depth == 0 and is_sep(ch):
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return parts


def _split_commas(s: str) -> list[str]:
    return s.split(",") if "{" not in s else _split_outside_braces(s, lambda ch: ch == ",")


def _split_words(s: str) -> list[str]:
    words = s.split() if "{" not in s else _split_outside_braces(s, str.isspace)
    return [w for w in words if w]


def _field_col(lines: list[str], line0: int, name: str) -> int:
    if 0 <= line0 < len(lines):
        m = re.search(rf"\b{re.escape(name)}\s*=", lines[line0], re.I)
        if m:
            return m.start() + 1
    return 1


def _entry_col(lines: list[str], line0: int) -> int:
    if 0 <= line0 < len(lines):
        i = lines[line0].find("@")
        return i + 1 if i >= 0 else 1
    return 1


_DOI_PREFIX = lazyre.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_CACHE_VERSION = "6"  # bump when what a parse keeps changes


class _Child:
    """An entry with ``crossref``: checked for completeness once every file is loaded (a parse's record,
    as :class:`_FileResult`: no dataclass, which a build that reads its references from the cache would
    make for nothing)."""

    __slots__ = ("ref", "parent", "line", "col", "entry_col")

    def __init__(self, ref: Reference, parent: str, line: int, col: int, entry_col: int) -> None:
        self.ref = ref  # its own fields only
        self.parent = parent  # the crossref key as written
        self.line, self.col = line, col  # where the crossref field is
        self.entry_col = entry_col


class _FileResult:
    __slots__ = ("refs", "diags", "problems", "children", "digest")

    def __init__(self, refs: list[Reference], diags: list[Diagnostic], digest: str = "",
                 problems: dict[str, list[Diagnostic]] | None = None, children: list[_Child] | None = None):
        self.refs = refs
        self.diags = diags  # problems that make the file or a block unreadable
        self.digest = digest
        self.problems = problems if problems is not None else {}  # lower-cased key → that entry's problems
        self.children = children if children is not None else []


class _EntryFields:
    """One entry's fields read from bibtexparser's raw values, with their places and problems."""

    def __init__(self, entry: model.Entry, source: _Source) -> None:
        self.entry, self.src = entry, source
        self.values: dict[str, str] = {}  # lower-cased name → text (LaTeX), "" for fields not read
        self.places: dict[str, tuple[int, int]] = {}  # name → (0-based line, 1-based col; 0 = find it)
        self.problems: list[Diagnostic] = []
        values, places = self.values, self.places
        from .bibvalues import is_simple  # parsing only: a build whose references are kept does not import it
        for f in entry.fields:
            raw, lk = str(f.value), f.key.lower()
            if lk not in values and raw[:1] == "{" and is_braced_whole(raw):  # the usual case, inline
                values[lk] = raw[1:-1] if lk in _READ_FIELDS else ""
                places[lk] = (f.start_line, 0)
            elif is_simple(raw):  # a number or a macro, or a field set twice
                self._put(f.key, raw, f.start_line, 0, braced=raw[:1] == "{")
            else:
                self._read_compound(f, raw)

    def place(self, name: str) -> tuple[int, int]:
        """1-based line and column of a field's name."""
        line0, col = self.places[name]
        return line0 + 1, col or _field_col(self.src.lines, line0, name)

    def _put(self, name: str, raw: str, line0: int, col: int, braced: bool = False) -> None:
        """Record a field's text (``raw`` without its braces if ``braced``; else evaluated)."""
        lk = name.lower()
        if lk in self.values:
            line, col = (line0 + 1, col or _field_col(self.src.lines, line0, name))
            self.problems.append(self.src.make(line, col, "bib.duplicate-field",
                                               f"entry '{self.entry.key}' sets field '{name}' more than once"))
            return  # BibTeX keeps the first value
        if lk not in _READ_FIELDS:
            self.values[lk] = ""  # abstracts, keywords …: only their syntax matters
        else:
            from .bibvalues import evaluate
            self.values[lk] = raw[1:-1] if braced else evaluate(raw, self.src.macros)
        self.places[lk] = (line0, col)

    def _read_compound(self, f: model.Field, raw: str) -> None:
        """A value with ``#``, quotes, or text after it: swallowed fields and stray text."""
        from .bibvalues import split_value
        parts = split_value(raw)
        self._put(f.key, parts.value, f.start_line, 0)
        if not parts.swallowed and parts.junk < 0:
            return
        base = self.src.value_offset(f, raw)
        before = f.key
        for s in parts.swallowed:
            line, col = self.src.position(base + s.comma)
            self.problems.append(self.src.make(
                line, col, "bib.missing-comma", f"missing comma between fields '{before}' and '{s.name}' of entry "
                f"'{self.entry.key}'", f"put a comma after the value of '{before}'"))
            at_line, at_col = self.src.position(base + s.at)
            self._put(s.name, s.value, at_line - 1, at_col)
            before = s.name
        if parts.junk >= 0:
            line, col = self.src.position(base + parts.junk)
            stray = raw[parts.junk:].split("\n", 1)[0][:30]
            self.problems.append(self.src.make(
                line, col, "bib.parse-error", f"unexpected text '{stray}' after the value of field '{before}' of "
                f"entry '{self.entry.key}'", "a value is {…}, \"…\", a number or a @string name; join parts with #"))


class _Source:
    """One file's text, its lines, its ``@string`` macros, and positions in it."""

    def __init__(self, text: str, path: str) -> None:
        self.text, self.path = text, path
        self.lines = text.split("\n")
        from .bibvalues import MONTHS
        self.macros: dict[str, str] = dict(MONTHS)

    def make(self, line: int, col: int, code: str, message: str, hint: str | None = None) -> Diagnostic:
        return dx.make(self.path, line, col, code, message, hint)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        return self.text.count("\n", 0, offset) + 1, offset - line_start + 1

    def value_offset(self, f: model.Field, raw: str) -> int:
        """Offset of a field's raw value (bibtexparser keeps only the field's line)."""
        line_start = sum(len(line) + 1 for line in self.lines[:f.start_line])
        m = re.compile(rf"{re.escape(f.key)}\s*=\s*").search(self.text, line_start)
        start = m.end() if m else line_start
        found = self.text.find(raw, start)
        return found if found >= 0 else start


def _parse_file(text: str, path: str) -> _FileResult:
    """Parse one .bib text; duplicates across files and crossrefs are resolved in :func:`load_references`."""
    src = _Source(normalise_newlines(text), path)
    # bibtexparser logs each failed block itself; we report them as diagnostics instead
    import logging  # here: a check whose references come from the cache never needs it
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    import bibtexparser
    from bibtexparser import model

    lib = bibtexparser.parse_string(src.text, parse_stack=[])
    res = _FileResult([], [])
    entries: list[model.Entry] = []
    for block in lib.blocks:
        inner = getattr(block, "ignore_error_block", None) or block  # duplicate keys: checked below
        if isinstance(inner, model.String):
            from .bibvalues import evaluate
            src.macros[inner.key.lower()] = evaluate(str(inner.value), src.macros)
        elif isinstance(inner, model.Entry):
            entries.append(inner)
        elif isinstance(block, model.ParsingFailedBlock):
            res.diags.append(_parse_failure(block, src))
    for entry in entries:
        _add_entry(res, entry, src)
    return res


def _parse_failure(block: model.ParsingFailedBlock, src: _Source) -> Diagnostic:
    line0 = block.start_line or 0
    msg = getattr(block.error, "abort_reason", None) or str(block.error or "") or "syntax error"
    msg = re.sub(r"\s+", " ", msg).strip().rstrip(".")
    msg = msg[0].lower() + msg[1:] if msg else msg
    first = (block.raw or "").strip().split("\n", 1)[0][:60]
    return src.make(line0 + 1, _entry_col(src.lines, line0), "bib.parse-error",
                    f"cannot parse BibTeX block '{first}': {msg}")


def _add_entry(res: _FileResult, entry: model.Entry, src: _Source) -> None:
    fields = _EntryFields(entry, src)
    ref, problems = _make_reference(entry, fields, src)
    col = _entry_col(src.lines, entry.start_line or 0)
    parent = fields.values.get("crossref", "").strip()
    if parent:
        res.children.append(_Child(ref, parent, *fields.place("crossref"), col))
    else:
        problems += completeness_problems(ref, col)
    res.refs.append(ref)
    if problems:
        res.problems.setdefault(entry.key.lower(), []).extend(problems)


#: Identifier fields: pattern, code, what a bad value is not, and a hint.
_IDENTIFIER_RULES = (
    ("doi", DOI_RE, "bib.bad-doi", "is not a DOI", "a DOI looks like '10.1111/j.1524-4725.2007.33192.x'"),
    ("pmid", PMID_RE, "bib.bad-pmid", "is not a PubMed id", "a PMID is digits only, such as '15280843'"),
    ("url", URL_RE, "bib.bad-url", "is not an http(s) address", None),
)


def _make_reference(entry: model.Entry, fields: _EntryFields, src: _Source) -> tuple[Reference, list[Diagnostic]]:
    """The entry's record, and the problems of its syntax and identifiers."""
    problems = list(fields.problems)
    kept = _shared({k: (_address(k, v) if k in ("url", "doi", "pmid") else decode(v))
                    for k, v in fields.values.items() if k in KEEP_FIELDS})
    for name, pattern, code, what, hint in _IDENTIFIER_RULES:
        value = kept.get(name, "")
        if value and not pattern.match(value):
            shown = fields.values[name].strip()
            message = f"{name} '{shown}' of entry '{entry.key}' {what}"
            problems.append(src.make(*fields.place(name), code, message, hint))
    problems += evidence_kinds.field_problems(entry.key, kept, fields.place, src.make)
    ref = Reference(entry.key, sys.intern(entry.entry_type.lower()), kept, fields.values.get("author", ""),
                    fields.values.get("editor", ""), src.path, (entry.start_line or 0) + 1)
    return ref, problems


_SHARED_LEN = 40  # journals, years, volumes, months, publishers, evidence kinds: the same text in many entries


def _shared(fields: dict[str, str]) -> dict[str, str]:
    """``fields`` with its names and short values interned: thousands of entries hold one copy of
    each, in memory and in the reference cache (pickle writes an object once however often it is held)."""
    return {sys.intern(k): sys.intern(v) if len(v) <= _SHARED_LEN else v for k, v in fields.items()}


def _address(name: str, value: str) -> str:
    """A url, doi or pmid without export escaping (``\\_``); a DOI without its resolver prefix."""
    v = value.strip()
    if "\\" in v:
        v = _ESCAPED_IN_ADDRESS.sub(r"\1", v)
    return _DOI_PREFIX.sub("", v) if name == "doi" else v


def completeness_problems(ref: Reference, col: int) -> list[Diagnostic]:
    """Fields the entry's type requires, an identifier, and a journal article filed as @misc."""
    f = ref.fields
    out = [dx.make(ref.path, ref.line, col, "bib.missing-field", f"@{ref.type} entry '{ref.key}' has no {need} field")
           for need in _missing_required(ref)]
    if not (f.get("doi") or f.get("pmid") or f.get("url")):
        out.append(dx.make(ref.path, ref.line, col, "bib.missing-identifier",
                           f"entry '{ref.key}' has no doi, pmid or url",
                           "add the DOI or PubMed id you saw on the source, or its web address"))
    if ref.type in LOOSE_TYPES:
        out += _article_problem(ref, col)
    return out


def _missing_required(ref: Reference) -> list[str]:
    """The required fields (``'a' or 'b'`` for alternatives) that the entry lacks or leaves blank."""
    f, names = ref.fields, {"author": ref.author_raw, "editor": ref.editor_raw}
    missing = []
    for req in REQUIRED.get(ref.type, ("title",)):
        options = req if isinstance(req, tuple) else (req,)
        for o in options:
            v = f.get(o) or names.get(o)
            if v and not v.isspace():
                break
        else:
            missing.append(" or ".join(f"'{o}'" for o in options))
    return missing


def _article_problem(ref: Reference, col: int) -> list[Diagnostic]:
    signs = article_signs(ref.type, ref.fields)
    if not signs:
        return []
    missing = missing_article_fields(ref.fields, bool(ref.author_raw.strip()))
    hint = "make it @article" + (f" with {_and(missing)}" if missing else "")
    found = dx.make(ref.path, ref.line, col, "bib.incomplete-article",
                    f"@{ref.type} entry '{ref.key}' looks like a journal article: {'; '.join(signs)}", hint)
    reason = ref.fields.get("incomplete", "").strip()
    if reason:  # the editor says why it stays so (a detail no record showed): a note, with the reason
        return [replace(found, severity=Severity.INFO, hint=f"kept as @{ref.type}: {reason}")]
    return [found]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class ReferenceCache:
    """Parsed ``.bib`` files keyed by the SHA-1 of their path and content.

    Kept in memory across rebuilds (``mkdocs serve``) and, when ``disk_dir`` is set, on disk
    across processes, so an unchanged reference collection costs almost nothing to load.
    """

    def __init__(self, disk_dir: Path | None = None) -> None:
        self._files: dict[str, _FileResult] = {}
        self.disk_dir = disk_dir
        self.hits = 0
        self.misses = 0

    def parse(self, text: str, path: str) -> _FileResult:
        h = hashlib.sha1(f"{_CACHE_VERSION}\0{path}\0".encode())
        h.update(text.encode("utf-8", "surrogatepass"))
        digest = h.hexdigest()
        hit = self._files.get(path)
        if hit is not None and hit.digest == digest:
            self.hits += 1
            return hit
        res = self._load_disk(digest)
        if res is None:
            self.misses += 1
            res = _parse_file(text, path)
            res.digest = digest
            self._store_disk(digest, res)
        else:
            self.hits += 1
        self._files[path] = res
        return res

    def _load_disk(self, digest: str) -> _FileResult | None:
        res = diskcache.load(self.disk_dir, f"bib-{digest}.pickle")
        return res if isinstance(res, _FileResult) and res.digest == digest else None

    def _store_disk(self, digest: str, res: _FileResult) -> None:
        if self.disk_dir is not None and self.disk_dir.is_dir():
            week_ago = time.time() - 7 * 86400
            for old in self.disk_dir.glob("bib-*.pickle"):  # files of .bib texts no longer in use
                try:
                    if old.stat().st_mtime < week_ago:
                        old.unlink()
                except OSError:
                    pass
        diskcache.store(self.disk_dir, f"bib-{digest}.pickle", res)


def find_bib_files(folder: Path, root: Path | None = None,
                   rel: Callable[[Path], str] = lambda p: p.as_posix()) -> tuple[list[Path], list[Diagnostic]]:
    """Every ``.bib`` file under ``folder``, and a ``path.outside-project`` error (never a read)
    for each symbolic link, to a file or a folder, that resolves outside ``root`` (default:
    ``folder``). A link that stays inside is read; a linked folder is not followed."""
    from .project import OutsideProject, outside_message, resolve_inside
    found: list[Path] = []
    diags: list[Diagnostic] = []
    for top, dirs, files in os.walk(folder):
        here = Path(top)
        for name in sorted(dirs) + sorted(f for f in files if f.endswith(".bib")):
            p = here / name
            if p.is_symlink():
                try:
                    resolve_inside(p, root or folder)
                except OutsideProject as e:
                    diags.append(dx.make(rel(p), 1, 1, "path.outside-project",
                                         outside_message("symbolic link", rel(p), e),
                                         "it was not read"))
                    continue
            if name in files and p.is_file():
                found.append(p)
    return sorted(found), diags


def load_references(files: Iterable[tuple[str, str]], cache: ReferenceCache | None = None) -> Bibliography:
    """Load ``(relative_path, text)`` pairs into one :class:`Bibliography`."""
    bib = Bibliography()
    children: list[_Child] = []
    for path, text in files:
        res = cache.parse(text, path) if cache else _parse_file(text, path)
        bib.file_diagnostics.extend(res.diags)
        for lk, problems in res.problems.items():
            bib.entry_problems.setdefault(lk, []).extend(problems)
        for ref in res.refs:
            _add_reference(bib, ref)
        children.extend(res.children)
    _resolve_crossrefs(bib, children)
    return bib


def _add_reference(bib: Bibliography, ref: Reference) -> None:
    lk = ref.key.lower()
    prev = bib.entries.get(lk)
    if prev is None:
        bib.entries[lk] = ref
        return
    same = "" if prev.key == ref.key else f" as '{prev.key}'"
    bib.entry_problems.setdefault(lk, []).append(Diagnostic(
        ref.path, ref.line, 1, Severity.ERROR, "bib.duplicate-key",
        f"duplicate key '{ref.key}' (first defined{same} at {prev.path}:{prev.line})", None,
        f"{prev.path}:{prev.line}"))


def _resolve_crossrefs(bib: Bibliography, children: list[_Child]) -> None:
    """Give each child its parent's fields, parents first (chains of any length, no recursion)."""
    pending = {c.ref.key.lower(): c for c in children if bib.entries.get(c.ref.key.lower()) is c.ref}
    state: dict[str, bool] = {}  # False while on the chain being walked, True once resolved
    for lk in pending:
        chain: list[str] = []
        node = lk
        while node in pending and node not in state:
            state[node] = False
            chain.append(node)
            node = pending[node].parent.lower()
        for child in reversed(chain):
            parent_lk = pending[child].parent.lower()
            _resolve_one(bib, pending[child], cycle=state.get(parent_lk) is False)
            state[child] = True


def _resolve_one(bib: Bibliography, child: _Child, cycle: bool) -> None:
    ref = child.ref
    lk, parent_lk = ref.key.lower(), child.parent.lower()
    parent = bib.entries.get(parent_lk)
    problem = None
    if parent is None:
        problem = (f"entry '{ref.key}' has crossref '{child.parent}', which no reference file defines",
                   dx.did_you_mean(child.parent, [r.key for r in bib.entries.values() if r.key.lower() != lk]))
    elif cycle:
        through = "" if parent_lk == lk else f" through '{parent.key}'"
        problem = (f"the crossref of entry '{ref.key}' leads back to itself{through}", None)
    if problem is not None or parent is None:
        bib.entry_problems.setdefault(lk, []).append(
            dx.make(ref.path, child.line, child.col, "bib.unknown-crossref", *(problem or ("", None))))
        return  # its missing fields follow from this one error
    merged = _inherit(ref, parent)
    bib.entries[lk] = merged
    bib.parents[lk] = parent_lk
    problems = completeness_problems(merged, child.entry_col) + _inherited_identifiers(merged, child, parent)
    if problems:
        bib.entry_problems.setdefault(lk, []).extend(problems)


def _inherited_identifiers(merged: Reference, child: _Child, parent: Reference) -> list[Diagnostic]:
    """A malformed doi, pmid or url that the child shows because it inherits it (the parent's own
    diagnostic is only a warning when no page cites the parent)."""
    out = []
    for name, pattern, code, what, hint in _IDENTIFIER_RULES:
        value = merged.fields.get(name, "")
        if value and name not in child.ref.fields and not pattern.match(value):
            out.append(dx.make(merged.path, child.line, child.col, code,
                               f"{name} '{value}' that entry '{merged.key}' inherits from '{parent.key}' {what}", hint))
    return out


def _inherit(child: Reference, parent: Reference) -> Reference:
    has = {k for k, v in child.fields.items() if v}
    has |= {name for name, raw in (("author", child.author_raw), ("editor", child.editor_raw)) if raw.strip()}
    names = {"author": parent.author_raw, "editor": parent.editor_raw}
    gained = inherited(parent.type, child.type, {**parent.fields, **names}, has)
    author, editor = gained.pop("author", child.author_raw), gained.pop("editor", child.editor_raw)
    return replace(child, fields={**gained, **child.fields}, author_raw=author, editor_raw=editor)
