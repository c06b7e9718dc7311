"""The clinic profile: whose guide this is — name, logo, colours, contact details.

One block under ``extra.clinic`` in ``mkdocs.yml`` (or in a brand's own ``mkdocs.yml`` that
``INHERIT``\\ s the site). Every field keeps its ``file:line:col`` through the ``INHERIT`` chain, so a
mistake is reported where it was written; files named in the profile (logo, favicon) are found
relative to the file that names them.

```yaml
extra:
  clinic:
    name: Northfield Sweat Clinic
    short_name: Northfield
    logo: logo.svg
    colors: {primary: "#00695c", accent: "#ad1457"}
    phone: 0161 496 0123
    email: sweat.clinic@northfield.example
    address: [Ward 4, Northfield Hospital, Northfield NF1 2AB]
    opening_hours: Monday to Friday, 8:30am to 5pm
    booking_url: https://northfield.example/book
    country: GB            # sets the emergency number and paper size unless given
    publisher: Northfield Hospital Dermatology Department
    locale: en-GB
```

A brand's own ``extra.clinic`` takes nothing from the file it ``INHERIT``\\ s but the colours,
unless it lists fields under ``inherit:``; a logo or favicon must be an image by its content and
lie inside the project; ``FILL-IN`` values (``new-brand``) are errors until replaced.

Colours are checked against WCAG 2.2 AA (4.5:1): text on the primary colour, and the link and
accent (hover) colours on the page background. A failing colour is an error that gives the
ratio and the nearest shade that passes. The dark scheme's link colours are derived, never
asked for.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import diagnostics as dx
from .colour import AA, WHITE, contrast, nearest_passing, rgb, shade, to_hex
from .project import OutsideProject, outside_message, resolve_inside
from .yamlpos import ConfigFile, child, compose_chain
from .yamlpos import position as pos

#: Material's slate (dark) background, hsl(225, 15%, 14%) — where dark-scheme links must pass too.
SLATE_BG = "#1e2129"

#: What to do in an emergency, by country (ISO 3166 alpha-2), when the profile gives no text.
EMERGENCY = {
    "GB": "In an emergency, call 999. For urgent advice that is not an emergency, call NHS 111.",
    "US": "In an emergency, call 911.",
    "CA": "In an emergency, call 911.",
    "IE": "In an emergency, call 112 or 999.",
    "AU": "In an emergency, call 000.",
    "NZ": "In an emergency, call 111.",
}
#: The emergency number by country; EU_112 countries use 112.
EMERGENCY_NUMBER = {"GB": "999", "US": "911", "CA": "911", "IE": "112", "AU": "000", "NZ": "111"}
EU_112 = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IT", "LV", "LT", "LU",
          "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "NO", "IS", "CH"}
LETTER_COUNTRIES = {"US", "CA", "MX", "PH", "CL", "CO", "VE"}

DEFAULT_DISCLAIMER = ("This guide is for general information. It does not replace advice from your own doctor "
                      "or nurse, who knows your health. Ask them before you start, change or stop a treatment.")

# field → (kind, required); kinds: text, lines, path, colour, phone, email, url, country, locale, paper, number
FIELDS: dict[str, tuple[str, bool]] = {
    "name": ("text", True),
    "short_name": ("text", False),
    "logo": ("path", False),
    "favicon": ("path", False),
    "colors.primary": ("colour", True),
    "colors.accent": ("colour", True),
    "colors.link": ("colour", False),
    "colors.text_on_primary": ("colour", False),
    "phone": ("phone", False),
    "email": ("email", False),
    "address": ("lines", False),
    "opening_hours": ("lines", False),
    "booking_url": ("url", False),
    "emergency": ("text", False),
    "emergency_number": ("number", False),
    "country": ("country", False),
    "publisher": ("text", True),
    "disclaimer": ("text", False),
    "contact_note": ("text", False),
    "locale": ("locale", True),
    "paper": ("paper", False),
}
_GROUPS = {"colors"}


# --------------------------------------------------------------------------- the profile

@dataclass(frozen=True, eq=False)  # never compared (its repr keys the kept results): fewer generated methods
class Clinic:
    """A clinic's brand: names, colours, contact details, logo and the words every page shows."""

    name: str
    short_name: str
    publisher: str
    locale: str
    primary: str
    accent: str
    link: str
    text_on_primary: str
    emergency: str
    disclaimer: str
    paper: str  # "a4" or "letter"
    country: str | None = None
    phone: str | None = None
    email: str | None = None
    address: tuple[str, ...] = ()
    opening_hours: tuple[str, ...] = ()
    booking_url: str | None = None
    logo: Path | None = None
    favicon: Path | None = None
    contact_note: str | None = None
    emergency_number: str = ""  # from the field, or from ``country``
    sources: dict[str, str] = field(default_factory=dict, compare=False)  # field → "file:line:col"

    @property
    def phone_href(self) -> str | None:
        """``tel:`` address: digits and a leading ``+`` only."""
        if not self.phone:
            return None
        digits = re.sub(r"[^0-9+]", "", self.phone)
        return "tel:" + digits

    @property
    def og_locale(self) -> str:
        return self.locale.replace("-", "_")

    @property
    def logo_uri(self) -> str | None:
        return f"assets/clinic/logo{self.logo.suffix.lower()}" if self.logo else None

    @property
    def favicon_uri(self) -> str | None:
        return f"assets/clinic/favicon{self.favicon.suffix.lower()}" if self.favicon else None

    def context(self) -> dict[str, Any]:
        """Plain data for templates."""
        return {
            "name": self.name, "short_name": self.short_name, "publisher": self.publisher,
            "locale": self.locale, "phone": self.phone, "phone_href": self.phone_href, "email": self.email,
            "address": list(self.address), "opening_hours": list(self.opening_hours),
            "booking_url": self.booking_url, "emergency": self.emergency, "disclaimer": self.disclaimer,
            "logo": self.logo_uri, "paper": self.paper, "country": self.country, "contact_note": self.contact_note,
            "emergency_number": self.emergency_number,
        }

    def placeholders(self) -> dict[str, str]:
        """What content blocks may write as ``{{ clinic.<name> }}``, filled from this profile."""
        return {"clinic.emergency_number": self.emergency_number, "clinic.emergency": self.emergency}

    def stylesheet(self) -> str:
        """The brand's colours as Material's CSS custom properties, both colour schemes."""
        dark_link = nearest_passing(self.link, SLATE_BG) or "#8ab4f8"
        dark_accent = nearest_passing(self.accent, SLATE_BG) or dark_link
        return (
            "/* generated by patientguide from the clinic profile: do not edit */\n"
            ":root, [data-md-color-scheme=default] {\n"
            f"  --md-primary-fg-color: {self.primary};\n"
            f"  --md-primary-fg-color--light: {shade(self.primary, 0.08)};\n"
            f"  --md-primary-fg-color--dark: {shade(self.primary, -0.08)};\n"
            f"  --md-primary-bg-color: {self.text_on_primary};\n"
            f"  --md-accent-fg-color: {self.accent};\n"
            f"  --md-typeset-a-color: {self.link};\n"
            f"  --pg-brand-color: {self.primary};\n"
            "}\n"
            "[data-md-color-scheme=slate] {\n"
            f"  --md-typeset-a-color: {dark_link};\n"
            f"  --md-accent-fg-color: {dark_accent};\n"
            f"  --pg-brand-color: {dark_link};\n"
            "}\n"
        )


# --------------------------------------------------------------------------- reading the profile

#: What a brand's profile takes from the file it ``INHERIT``\ s without asking: how the site
#: looks. Every other field (who the clinic is, how to reach it, what it tells patients) comes
#: from the brand's own ``extra.clinic``, or from the parent only if listed under ``inherit:``.
INHERITED = frozenset({"colors.primary", "colors.accent", "colors.link", "colors.text_on_primary"})
#: A value containing this is a placeholder (``patientguide new-brand``): an error until filled in.
PLACEHOLDER = "FILL-IN"

Values = dict[str, tuple[yaml.Node, Path]]  # "name" → (value node, file); "@name" → (key node, file)


@dataclass(eq=False, repr=False)  # never compared or shown: fewer generated methods
class _Block:
    """One file's ``extra.clinic``."""

    path: Path
    key: yaml.Node  # the ``clinic:`` key, where "needs 'x'" errors point
    values: Values = field(default_factory=dict)
    inherit: dict[str, yaml.Node] = field(default_factory=dict)  # field → the item that asks for it


def _field(name: str) -> str:
    return name.lstrip("@")


class _Profile:
    """Diagnostics for one profile: ``err`` points at a field's value, its key, or the block."""

    def __init__(self, block: _Block, values: Values, rel: Any, root: Path, diags: list[dx.Diagnostic]) -> None:
        self.block, self.values, self.rel, self.root, self.diags = block, values, rel, root, diags

    def err(self, name: str, msg: str, hint: str | None = None, code: str = "clinic.invalid",
            at_key: bool = False) -> None:
        node, path = self.values.get(("@" + name) if at_key else name, (None, None))
        if node is None or path is None:
            node, path = self.block.key, self.block.path
        self.diags.append(_at(self.rel, path, node, msg, hint, code))


def _at(rel: Any, path: Path, node: yaml.Node, msg: str, hint: str | None = None,
        code: str = "clinic.invalid") -> dx.Diagnostic:
    line, col = pos(node)
    return dx.make(rel(path), line, col, code, msg, hint)


def load_clinic(config_file: Path | None, rel: Any = None,
                root: Path | None = None) -> tuple[Clinic | None, list[dx.Diagnostic]]:
    """Read and check ``extra.clinic`` through the ``INHERIT`` chain of ``config_file``.

    ``rel`` turns a path into the project-relative text diagnostics show; ``root`` is the
    project root every file the profile names must resolve inside (default: the folder of
    ``config_file``). No profile at all is not an error: the site then shows no clinic details.
    """
    if config_file is None:
        return None, []
    rel = rel or (lambda p: p.as_posix())
    root = root or config_file.resolve().parent
    diags: list[dx.Diagnostic] = []
    chain = compose_chain(config_file)
    blocks = _read_blocks(chain, rel, diags)
    if blocks is None or not blocks:
        return None, diags
    profile = _Profile(blocks[-1], _merge(blocks, rel, diags), rel, root, diags)
    got = _fields(profile)
    number, emergency = _emergency(profile, got)
    colours = _colours(profile, got)
    _site_url(profile, chain)
    if any(d.severity is dx.Severity.ERROR for d in diags) or colours is None:
        return None, diags
    return _clinic(profile, got, number, emergency, colours), diags


def _read_blocks(chain: list[ConfigFile], rel: Any, diags: list[dx.Diagnostic]) -> list[_Block] | None:
    """Every ``extra.clinic`` of the chain, top first; ``None`` if one is not a mapping."""
    blocks = []
    for path, root in chain:
        extra = child(root, "extra")
        clinic = child(extra[1], "clinic") if extra and isinstance(extra[1], yaml.MappingNode) else None
        if clinic is None:
            continue
        block = _read_block(path, *clinic, rel, diags)
        if block is None:
            return None
        blocks.append(block)
    return blocks


def _read_block(path: Path, key: yaml.Node, node: yaml.Node, rel: Any, diags: list[dx.Diagnostic]) -> _Block | None:
    block = _Block(path, key)
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
        return block  # an empty profile of the brand's own
    if not isinstance(node, yaml.MappingNode):
        diags.append(_at(rel, path, node, "'extra.clinic' must be a mapping of fields"))
        return None
    known = set(FIELDS) | _GROUPS | {"inherit"}
    for k, v in node.value:
        name = str(k.value)
        if name == "inherit":
            block.inherit = _inherit_list(v, path, rel, diags)
        elif name in _GROUPS and not isinstance(v, yaml.MappingNode):
            diags.append(_at(rel, path, v, f"'{name}' must be a mapping such as "
                                           "{primary: \"#00695c\", accent: \"#ad1457\"}"))
        elif name in _GROUPS:
            for sk, sv in v.value:
                block.values[f"{name}.{sk.value}"], block.values[f"@{name}.{sk.value}"] = (sv, path), (sk, path)
        else:
            block.values[name], block.values[f"@{name}"] = (v, path), (k, path)
    for name in [n for n in block.values if not n.startswith("@") and n not in FIELDS]:
        short = name.split(".")[-1]
        hint = dx.did_you_mean(name, known) or dx.did_you_mean(short, [f.split(".")[-1] for f in FIELDS])
        diags.append(_at(rel, path, block.values["@" + name][0], f"unknown clinic field '{name}'", hint))
    return block


def _inherit_list(node: yaml.Node, path: Path, rel: Any, diags: list[dx.Diagnostic]) -> dict[str, yaml.Node]:
    """``inherit: [disclaimer, emergency]``: the fields to take from the file this one INHERITs."""
    items = [node] if isinstance(node, yaml.ScalarNode) else node.value if isinstance(node, yaml.SequenceNode) else None
    if items is None or not all(isinstance(i, yaml.ScalarNode) for i in items):
        diags.append(_at(rel, path, node, "'inherit' must be a list of field names, such as [disclaimer, emergency]"))
        return {}
    out: dict[str, yaml.Node] = {}
    for item in items:
        name = str(item.value)
        if name in _GROUPS:
            out.update({f: item for f in FIELDS if f.startswith(name + ".")})
        elif name in FIELDS:
            out[name] = item
        else:
            diags.append(_at(rel, path, item, f"'inherit' names an unknown clinic field '{name}'",
                             dx.did_you_mean(name, list(FIELDS) + sorted(_GROUPS))))
    return out


def _merge(blocks: list[_Block], rel: Any, diags: list[dx.Diagnostic]) -> Values:
    """The profile of the last block: its own fields, plus from the profile above it only the
    colours and the fields it lists under ``inherit:``."""
    effective: Values = {}
    for block in blocks:
        kept = {n: v for n, v in effective.items() if _field(n) in INHERITED or _field(n) in block.inherit}
        for name, item in block.inherit.items():
            if name not in effective and name not in block.values and "." not in name:
                diags.append(_at(rel, block.path, item, f"'inherit' asks for '{name}', but no file this one "
                                                        "INHERITs sets it"))
        effective = {**kept, **block.values}
    return effective


def _is_null(node: yaml.Node | None) -> bool:
    return node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"))


def _fields(profile: _Profile) -> dict[str, Any]:
    """Every field's value, checked; each problem is an error at the value."""
    got: dict[str, Any] = {}
    for name, (kind, required) in FIELDS.items():
        entry = profile.values.get(name)
        node = entry[0] if entry else None
        if _is_null(node):
            if required:
                quote = ' (a colour must be quoted in YAML: "#00695c"; an unquoted # starts a comment)' \
                    if kind == "colour" and node is not None else ""
                profile.err(name if node is not None else "", f"the clinic profile needs '{name}'{quote}")
            continue
        assert entry is not None and node is not None
        value, problem, code = _field_value(name, kind, node, entry[1], profile.root)
        if problem:
            profile.err(name, problem, code=code)
            continue
        got[name] = value
    if not any(n in got or not _is_null(profile.values.get(n, (None,))[0]) for n in ("phone", "email", "booking_url")):
        profile.err("", "the clinic profile needs a way to reach the clinic: 'phone', 'email' or 'booking_url'")
    return got


def _field_value(name: str, kind: str, node: yaml.Node, declared_in: Path, root: Path) -> tuple[Any, str | None, str]:
    """``(value, problem, code)`` of one field."""
    value = _value(node, kind)
    if value is None:
        return None, f"'{name}' must be {'a list of lines or text' if kind == 'lines' else 'text'}", "clinic.invalid"
    lines = [v.strip() for v in value] if kind == "lines" else [value.strip()]
    filler = next((line for line in lines if PLACEHOLDER in line), None)
    if filler is not None:
        return None, (f"'{name}' is still the placeholder '{filler}': fill it in"
                      + ("" if FIELDS[name][1] else ", or delete the line")), "clinic.placeholder"
    if kind == "lines":
        value = tuple(v for v in lines if v)
        return value, (None if value else f"'{name}' is empty"), "clinic.invalid"
    value = value.strip()
    if kind == "path":
        return _image(name, value, declared_in, root)
    return value, _check_value(name, kind, value), "clinic.invalid"


def _image(name: str, value: str, declared_in: Path, root: Path) -> tuple[Any, str | None, str]:
    """A logo or favicon: inside the project, a real file, an image by its content."""
    if not value:
        return None, f"'{name}' is empty", "clinic.invalid"
    p = declared_in.parent / value
    try:
        resolved = resolve_inside(p, root)
    except OutsideProject as e:
        return None, outside_message(f"'{name}'", value, e), "path.outside-project"
    if not resolved.is_file():
        return None, f"'{name}' file not found: '{value}' (relative to {declared_in.name} in " \
                     f"{declared_in.parent.name}/)", "clinic.invalid"
    from .images import ImageProblem, check_image  # only for a profile with a logo or favicon
    try:
        _kind, placeholder = check_image(resolved)
    except ImageProblem as e:
        return None, f"'{name}' file '{value}' {e}", "clinic.bad-image"
    if placeholder:
        return None, (f"'{name}' is still the placeholder image '{value}' written by new-brand: replace the file "
                      "with the clinic's own, or delete the line"), "clinic.placeholder"
    return resolved, None, "clinic.invalid"


def _emergency(profile: _Profile, got: dict[str, Any]) -> tuple[str | None, str | None]:
    """``(emergency_number, emergency text)``: given, or from ``country``."""
    country = (got.get("country") or "").upper() or None
    known = EMERGENCY_NUMBER.get(country or "") or ("112" if country in EU_112 else None)
    number = got.get("emergency_number") or known
    if number is None:
        written = [n for n in ("country", "emergency_number") if not _is_null(profile.values.get(n, (None,))[0])]
        if not any(n not in got for n in written):  # (a wrong value is reported already)
            profile.err("", "the clinic profile needs 'emergency_number' (the number to call in an emergency), "
                            "or a 'country' that gives one (" + ", ".join(sorted(EMERGENCY_NUMBER)) + ", EU countries)")
        return None, None
    text = got.get("emergency")
    if text is None and number == known:
        text = EMERGENCY.get(country or "")
    return number, text or f"In an emergency, call {number}."


def _colours(profile: _Profile, got: dict[str, Any]) -> tuple[str, str, str, str] | None:
    """``(primary, accent, link, text_on_primary)``, each pair checked for WCAG AA contrast."""
    primary, accent = got.get("colors.primary"), got.get("colors.accent")
    link = got.get("colors.link") or primary
    on_primary = got.get("colors.text_on_primary") or WHITE
    err = profile.err
    if primary:
        _contrast_check(err, "colors.text_on_primary" if "colors.text_on_primary" in got else "colors.primary",
                        "text on the primary colour", on_primary, primary, adjust=primary, against=on_primary,
                        adjust_name="colors.primary")
    # (contrast is symmetric: with the default link colour this is the same pair as above)
    if link and {to_hex(rgb(link)), WHITE} != ({to_hex(rgb(primary)), to_hex(rgb(on_primary))} if primary else set()):
        _contrast_check(err, "colors.link" if "colors.link" in got else "colors.primary",
                        "the link colour on the page background", link, WHITE, adjust=link, against=WHITE,
                        adjust_name="colors.link" if "colors.link" in got else "colors.primary")
    if accent:
        _contrast_check(err, "colors.accent", "the accent (link hover) colour on the page background", accent, WHITE,
                        adjust=accent, against=WHITE, adjust_name="colors.accent")
    if not (primary and accent and link):
        return None
    return to_hex(rgb(primary)), to_hex(rgb(accent)), to_hex(rgb(link)), to_hex(rgb(on_primary))


def _site_url(profile: _Profile, chain: list[ConfigFile]) -> None:
    """A brand with its own profile is published at its own address: its ``site_url`` (canonical
    links, Open Graph, JSON-LD, QR codes) is never the parent site's."""
    own = [p for p, _ in chain].index(profile.block.path)
    setter = next(((p, child(r, "site_url")) for p, r in reversed(chain) if child(r, "site_url")), None)
    if setter is None:
        return
    path, found = setter
    assert found is not None
    node = found[1]
    value = str(node.value) if isinstance(node, yaml.ScalarNode) and not _is_null(node) else ""
    if PLACEHOLDER in value:
        profile.diags.append(_at(profile.rel, path, node, f"'site_url' is still the placeholder '{value}': fill in "
                                 "the address this guide is published at", code="clinic.placeholder"))
    elif value and [p for p, _ in chain].index(path) < own:
        profile.err("", f"this clinic's profile is in {profile.block.path.name} in {profile.block.path.parent.name}/, "
                        f"but its site_url '{value}' comes from {profile.rel(path)}: a brand sets its own 'site_url' "
                        "(or 'site_url: null')")


def _clinic(profile: _Profile, got: dict[str, Any], number: str | None, emergency: str | None,
            colours: tuple[str, str, str, str]) -> Clinic:
    country = (got.get("country") or "").upper() or None
    paper = (got.get("paper") or ("letter" if country in LETTER_COUNTRIES else "a4")).lower()
    sources = {n: f"{profile.rel(p)}:{pos(nd)[0]}:{pos(nd)[1]}" for n, (nd, p) in profile.values.items()
               if not n.startswith("@")}
    primary, accent, link, on_primary = colours
    return Clinic(
        name=got["name"], short_name=got.get("short_name") or got["name"], publisher=got["publisher"],
        locale=got["locale"], primary=primary, accent=accent, link=link, text_on_primary=on_primary,
        emergency=emergency or "", emergency_number=number or "",
        disclaimer=got.get("disclaimer") or DEFAULT_DISCLAIMER,
        paper=paper, country=country, phone=got.get("phone"), email=got.get("email"),
        address=got.get("address", ()), opening_hours=got.get("opening_hours", ()), booking_url=got.get("booking_url"),
        logo=got.get("logo"), favicon=got.get("favicon"), contact_note=got.get("contact_note"), sources=sources,
    )


def _contrast_check(err: Callable[..., object], field_name: str, what: str, fg: str, bg: str, *, adjust: str,
                    against: str,
                    adjust_name: str) -> None:
    ratio = contrast(fg, bg)
    if ratio >= AA:
        return
    fix = nearest_passing(adjust, against)
    hint = f"nearest passing shade for '{adjust_name}': \"{fix}\" ({contrast(fix, against):.2f}:1)" if fix else None
    err(field_name, f"{what} has contrast {ratio:.2f}:1 ({fg} on {bg}); WCAG AA needs {AA}:1", hint,
        code="clinic.contrast")


def _value(node: yaml.Node, kind: str) -> Any:
    if kind == "lines":
        if isinstance(node, yaml.ScalarNode):
            return [node.value]
        if isinstance(node, yaml.SequenceNode) and all(isinstance(n, yaml.ScalarNode) for n in node.value):
            return [n.value for n in node.value]
        return None
    return node.value if isinstance(node, yaml.ScalarNode) else None


def is_country_code(value: str) -> bool:
    """A two-letter country code (either case), as ``country`` in a profile and ``--country`` take."""
    return len(value) == 2 and value.isascii() and value.isalpha()


_CHECKS: dict[str, tuple[Any, str]] = {
    "colour": (re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$").match, "must be a hex colour like \"#00695c\""),
    "phone": (re.compile(r"^\+?[0-9(][0-9 ()./-]{4,24}[0-9]$").match,
              "must be a phone number (digits, spaces, + ( ) - .)"),
    "email": (re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$").match, "must be an e-mail address"),
    "url": (re.compile(r"^https?://[^\s<>\"']+$").match, "must be an http(s) address"),
    "country": (is_country_code, "must be a two-letter country code such as GB or US"),
    "locale": (re.compile(r"^[a-z]{2,3}(?:-[A-Z]{2})?$").match, "must be a language tag such as en-GB"),
    "paper": (lambda v: v.lower() in ("a4", "letter"), "must be a4 or letter"),
    "number": (re.compile(r"[0-9]{2,6}").fullmatch, "must be the digits of a phone number such as 112"),
}


def _check_value(name: str, kind: str, value: str) -> str | None:
    if not value:
        return f"'{name}' is empty"
    if kind == "text":
        return None if len(value) <= 600 else f"'{name}' is too long ({len(value)} characters; at most 600)"
    ok, must = _CHECKS[kind]
    return None if ok(value) else f"'{name}' {must}, got '{value}'"
