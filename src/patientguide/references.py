"""BibTeX files → :class:`Reference` records, with every problem turned into a diagnostic.

bibtexparser 2 collects failures instead of raising them (``library.failed_blocks``) and keys
are case-sensitive there; here nothing is dropped silently: a failed block, a duplicate key
(compared case-insensitively, within or across files), a duplicate field, a missing required
field, a missing or malformed identifier all become diagnostics.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import bibtexparser
from bibtexparser import model
from bibtexparser.middlewares import ResolveStringReferencesMiddleware

from . import diagnostics as dx
from . import diskcache
from .diagnostics import Diagnostic
from .latex import decode, is_braced_whole, split_top_level

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)

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
    "howpublished", "eprint", "isbn", "issn",
})


@dataclass(frozen=True, slots=True)
class Name:
    """A person's name, or a corporate author kept whole (``literal``)."""

    family: str = ""
    given: str = ""
    literal: str = ""

    @property
    def display_family(self) -> str:
        return self.literal or self.family


@dataclass(frozen=True, slots=True, eq=False)
class Reference:
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


@dataclass
class Bibliography:
    """All references by lower-cased key, with the diagnostics found while loading."""

    entries: dict[str, Reference] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def lookup(self, key: str) -> Reference | None:
        return self.entries.get(key.lower())

    def keys(self) -> list[str]:
        return [r.key for r in self.entries.values()]


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


def _split_outside_braces(s: str, is_sep) -> list[str]:
    """Split where ``is_sep(ch)`` holds at brace depth 0 (BibTeX protects text with braces)."""
    parts, depth, buf = [], 0, []
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


def _strip_enclosing(value: str) -> str:
    v = value.strip()
    if len(v) >= 2 and ((v[0] == "{" and v[-1] == "}" and is_braced_whole(v)) or (v[0] == v[-1] == '"')):
        return v[1:-1]
    return v


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


_CACHE_VERSION = "2"  # bump when what a parse keeps changes


class _FileResult:
    __slots__ = ("refs", "diags", "digest")

    def __init__(self, refs: list[Reference], diags: list[Diagnostic], digest: str = ""):
        self.refs = refs
        self.diags = diags
        self.digest = digest


def _parse_file(text: str, path: str) -> _FileResult:
    """Parse one .bib text; duplicates across files are found later, in :func:`load_references`."""
    lines = text.split("\n")
    # bibtexparser logs each failed block itself; we report them as diagnostics instead
    logging.getLogger("bibtexparser").setLevel(logging.ERROR)
    lib = bibtexparser.parse_string(text, parse_stack=[ResolveStringReferencesMiddleware(allow_inplace_modification=True)])
    diags: list[Diagnostic] = []
    refs: list[Reference] = []
    entries: list[model.Entry] = []
    for block in lib.blocks:
        if isinstance(block, model.DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            dup = sorted(block.duplicate_keys) if hasattr(block, "duplicate_keys") else []
            seen: set[str] = set()
            for f in entry.fields:
                lk = f.key.lower()
                if lk in seen or lk in dup:
                    if lk in seen:
                        diags.append(dx.make(path, f.start_line + 1, _field_col(lines, f.start_line, f.key),
                                             "bib.duplicate-field",
                                             f"entry '{entry.key}' sets field '{f.key}' more than once"))
                seen.add(lk)
            if not any(d.code == "bib.duplicate-field" for d in diags if d.line >= block.start_line + 1):
                diags.append(dx.make(path, block.start_line + 1, _entry_col(lines, block.start_line),
                                     "bib.duplicate-field", f"entry '{entry.key}' sets a field more than once"))
            entries.append(entry)
        elif isinstance(block, model.DuplicateBlockKeyBlock):
            entries.append(block.ignore_error_block)  # our own case-insensitive check reports it
        elif isinstance(block, model.ParsingFailedBlock):
            line0 = block.start_line or 0
            msg = getattr(block.error, "abort_reason", None) or str(block.error or "") or "syntax error"
            msg = re.sub(r"\s+", " ", msg).strip().rstrip(".")
            msg = msg[0].lower() + msg[1:] if msg else msg
            first = (block.raw or "").strip().split("\n", 1)[0][:60]
            diags.append(dx.make(path, line0 + 1, _entry_col(lines, line0), "bib.parse-error",
                                 f"cannot parse BibTeX block '{first}': {msg}"))
        elif isinstance(block, model.Entry):
            entries.append(block)
    for entry in entries:
        ref, problems = _make_reference(entry, path, lines)
        diags.extend(problems)
        if ref is not None:
            refs.append(ref)
    return _FileResult(refs, diags)


def _make_reference(entry: model.Entry, path: str, lines: list[str]) -> tuple[Reference | None, list[Diagnostic]]:
    line0 = entry.start_line
    line = line0 + 1
    col = _entry_col(lines, line0)
    problems: list[Diagnostic] = []
    raw: dict[str, str] = {}
    flines: dict[str, int] = {}
    for f in entry.fields:
        raw[f.key.lower()] = _strip_enclosing(str(f.value))
        flines[f.key.lower()] = f.start_line
    etype = entry.entry_type.lower()
    key = entry.key
    for req in REQUIRED.get(etype, ("title",)):
        options = req if isinstance(req, tuple) else (req,)
        if not any(raw.get(o, "").strip() for o in options):
            need = " or ".join(f"'{o}'" for o in options)
            problems.append(dx.make(path, line, col, "bib.missing-field",
                                    f"@{etype} entry '{key}' has no {need} field"))
    fields = {k: (v.strip() if k in ("url", "doi", "pmid") else decode(v)) for k, v in raw.items()
              if k in KEEP_FIELDS}
    doi, pmid, url = fields.get("doi", ""), fields.get("pmid", ""), fields.get("url", "")
    if not (doi or pmid or url):
        problems.append(dx.make(path, line, col, "bib.missing-identifier",
                                f"entry '{key}' has no doi, pmid or url",
                                "add the DOI or PubMed id you saw on the source, or its web address"))
    if doi:
        clean = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", doi, flags=re.I)
        if not DOI_RE.match(clean):
            fl = flines["doi"]
            problems.append(dx.make(path, fl + 1, _field_col(lines, fl, "doi"), "bib.bad-doi",
                                    f"doi '{doi}' of entry '{key}' is not a DOI", "a DOI looks like '10.1111/j.1524-4725.2007.33192.x'"))
        else:
            fields["doi"] = clean
    if pmid and not PMID_RE.match(pmid):
        fl = flines["pmid"]
        problems.append(dx.make(path, fl + 1, _field_col(lines, fl, "pmid"), "bib.bad-pmid",
                                f"pmid '{pmid}' of entry '{key}' is not a PubMed id", "a PMID is digits only, such as '15280843'"))
    if url and not URL_RE.match(url):
        fl = flines["url"]
        problems.append(dx.make(path, fl + 1, _field_col(lines, fl, "url"), "bib.bad-url",
                                f"url '{url}' of entry '{key}' is not an http(s) address"))
    return Reference(key, etype, fields, raw.get("author", ""), raw.get("editor", ""), path, line), problems


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
                    diags.append(dx.make(rel(p), 1, 1, "path.outside-project", outside_message("symbolic link", rel(p), e),
                                         "it was not read"))
                    continue
            if name in files and p.is_file():
                found.append(p)
    return sorted(found), diags


def load_references(files: Iterable[tuple[str, str]], cache: ReferenceCache | None = None) -> Bibliography:
    """Load ``(relative_path, text)`` pairs into one :class:`Bibliography`."""
    bib = Bibliography()
    first_seen: dict[str, Reference] = {}
    for path, text in files:
        res = cache.parse(text, path) if cache else _parse_file(text, path)
        bib.diagnostics.extend(res.diags)
        for ref in res.refs:
            lk = ref.key.lower()
            prev = first_seen.get(lk)
            if prev is not None:
                same = "" if prev.key == ref.key else f" as '{prev.key}'"
                bib.diagnostics.append(Diagnostic(
                    ref.path, ref.line, 1, dx.Severity.ERROR, "bib.duplicate-key",
                    f"duplicate key '{ref.key}' (first defined{same} at {prev.path}:{prev.line})",
                    None, f"{prev.path}:{prev.line}"))
                continue
            first_seen[lk] = ref
            bib.entries[lk] = ref
    return bib
