"""What an image file really is: its type by content (magic bytes, or an XML parse for SVG),
never by its name; and whether an SVG is safe to serve from the site's own origin.

An SVG opened on its own is a document that runs scripts with the site's rights, so an SVG is
refused when it has a ``<script>``, an event-handler attribute (``onload=``), a
``javascript:`` address, ``<foreignObject>`` or HTML inside it, or any reference to another
file or site (``href``, ``url(…)``, ``@import``, an ``xml-stylesheet``); an entity
declaration is refused too. Only ``#fragment`` references and embedded ``data:`` raster images
are allowed. Parsing uses the standard library's expat, with entities refused before they
can expand.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.parsers import expat

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"
#: Marks the placeholder logo that ``patientguide new-brand`` writes (an attribute of the root).
PLACEHOLDER_ATTR = "data-patientguide-placeholder"

#: type → the file name endings it may have (the web server picks the MIME type by ending)
ENDINGS = {"svg": (".svg",), "png": (".png",), "jpeg": (".jpg", ".jpeg"), "webp": (".webp",), "gif": (".gif",),
           "ico": (".ico",)}
NAMES = {"svg": "an SVG", "png": "a PNG", "jpeg": "a JPEG", "webp": "a WebP", "gif": "a GIF", "ico": "an ICO"}
_MAX_BYTES = 5 * 1024 * 1024
_FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "handler"}
_SAFE_DATA = re.compile(r"^data:image/(?:png|jpeg|gif|webp);base64,", re.I)
_URL_REF = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_CONTROL = re.compile(r"[\x00-\x20]+")


class ImageProblem(ValueError):
    """Why a file is not an acceptable image (a sentence for a diagnostic)."""


def sniff(data: bytes) -> str | None:
    """The raster type of ``data`` by its magic bytes, or ``None``."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:4] == b"\x00\x00\x01\x00" and len(data) >= 6 and data[4:6] != b"\x00\x00":
        return "ico"
    return None


def check_image(path: Path) -> tuple[str, bool]:
    """``(type, is_placeholder)`` of the image at ``path``; :class:`ImageProblem` if it is not
    an image of an allowed type, its name's ending does not match its content, or it is an
    unsafe SVG."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(_MAX_BYTES + 1)
    except OSError as e:
        raise ImageProblem(f"cannot be read: {e.strerror}") from e
    if len(data) > _MAX_BYTES:
        raise ImageProblem(f"is larger than {_MAX_BYTES // (1024 * 1024)} MB")
    kind, placeholder = sniff(data), False
    if kind is None:
        placeholder = check_svg(data)
        kind = "svg"
    if path.suffix.lower() not in ENDINGS[kind]:
        raise ImageProblem(f"is {NAMES[kind]} image, but its name ends in '{path.suffix}' "
                           f"(rename it to end in '{ENDINGS[kind][0]}')")
    return kind, placeholder


def check_svg(data: bytes) -> bool:
    """Parse ``data`` as an SVG document and refuse anything unsafe (see the module); returns
    whether it is the placeholder that ``new-brand`` writes."""
    state = _SvgState()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = state.entity
    parser.StartElementHandler = state.start
    parser.EndElementHandler = state.end
    parser.CharacterDataHandler = state.text
    parser.ProcessingInstructionHandler = state.instruction
    try:
        parser.Parse(data, True)
    except expat.ExpatError as e:
        raise ImageProblem("is not an image: not PNG, JPEG, WebP, GIF or ICO, and not an SVG "
                           f"(XML: {expat.ErrorString(e.code)} at line {e.lineno})") from None
    if state.root is None:
        raise ImageProblem("is not an image")
    return state.placeholder


class _SvgState:
    """expat callbacks: the root must be ``<svg>``; every element and attribute is vetted."""

    def __init__(self) -> None:
        self.root: str | None = None
        self.placeholder = False
        self.in_style = 0

    def entity(self, name: str, *_args: object) -> None:
        raise ImageProblem(f"is an SVG that declares an entity ('{name}'); an image needs none")

    def instruction(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":
            raise ImageProblem("is an SVG that loads a style sheet from another file (xml-stylesheet)")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        ns, _, local = name.rpartition(" ")
        if self.root is None:
            if (ns, local) != (SVG_NS, "svg"):
                raise ImageProblem(f"is not an image: an XML file whose root is <{local}>, not <svg> in the "
                                   f"SVG namespace ({SVG_NS})")
            self.root = local
            self.placeholder = PLACEHOLDER_ATTR in attrs
        if local in _FORBIDDEN_ELEMENTS or ns == XHTML_NS:
            raise ImageProblem(f"is an SVG with a <{local}> element; a logo must not run scripts or embed pages")
        self.in_style += local == "style"
        for attr, value in attrs.items():
            _check_attribute(local, attr.rpartition(" ")[2], value)

    def end(self, name: str) -> None:
        self.in_style -= name.rpartition(" ")[2] == "style"

    def text(self, data: str) -> None:
        if self.in_style:
            _check_css(data, "<style>")


def _check_attribute(element: str, attr: str, value: str) -> None:
    if attr.lower().startswith("on"):
        raise ImageProblem(f"is an SVG with an event handler ({attr}= on <{element}>); a logo must not run scripts")
    squeezed = _CONTROL.sub("", value).lower()
    if "javascript:" in squeezed or "vbscript:" in squeezed:
        raise ImageProblem(f"is an SVG with a script address in {attr}= on <{element}>")
    if attr == "attributeName" and (squeezed.startswith("on") or squeezed.endswith("href")):
        raise ImageProblem(f"is an SVG that animates '{value}' on <{element}>; "
                           "a logo must not change links or handlers")
    if attr in ("href", "src") and not _internal(value):
        raise ImageProblem(f"is an SVG with an external reference {attr}=\"{value[:80]}\" on <{element}>; "
                           "a logo must be self-contained")
    _check_css(value, f"{attr}= on <{element}>")


def _check_css(text: str, where: str) -> None:
    if "@import" in text.lower():
        raise ImageProblem(f"is an SVG whose style in {where} imports another file (@import)")
    for m in _URL_REF.finditer(text):
        if not _internal(m.group(2)):
            raise ImageProblem(f"is an SVG with an external reference url({m.group(2)[:80]}) in {where}; "
                               "a logo must be self-contained")


def _internal(ref: str) -> bool:
    ref = ref.strip()
    return ref.startswith("#") or bool(_SAFE_DATA.match(ref))
