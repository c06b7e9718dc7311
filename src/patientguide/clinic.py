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

Colours are checked against WCAG 2.2 AA (4.5:1): text on the primary colour, and the link and
accent (hover) colours on the page background. A failing colour is an error that gives the
ratio and the nearest shade that passes. The dark scheme's link colours are derived, never
asked for.
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import diagnostics as dx


AA = 4.5
WHITE, BLACK = "#ffffff", "#000000"
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
EU_112 = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IT", "LV", "LT", "LU",
          "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "NO", "IS", "CH"}
LETTER_COUNTRIES = {"US", "CA", "MX", "PH", "CL", "CO", "VE"}

DEFAULT_DISCLAIMER = ("This guide is for general information. It does not replace advice from your own doctor "
                      "or nurse, who knows your health. Ask them before you start, change or stop a treatment.")

# field → (kind, required); kinds: text, lines, path, colour, phone, email, url, country, locale, paper
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
    "country": ("country", False),
    "publisher": ("text", True),
    "disclaimer": ("text", False),
    "contact_note": ("text", False),
    "locale": ("locale", True),
    "paper": ("paper", False),
}
_GROUPS = {"colors"}
_IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".webp": "image/webp", ".jpg": "image/jpeg",
                ".jpeg": "image/jpeg", ".ico": "image/x-icon"}
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_PHONE = re.compile(r"^\+?[0-9(][0-9 ()./-]{4,24}[0-9]$")
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[A-Za-z]{2,}$")
_URL = re.compile(r"^https?://[^\s<>\"']+$")
_LOCALE = re.compile(r"^[a-z]{2,3}(?:-[A-Z]{2})?$")


# --------------------------------------------------------------------------- colours

def _rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02x}" for c in rgb)


def luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance."""
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def nearest_passing(colour: str, against: str, ratio: float = AA) -> str | None:
    """The shade of ``colour`` (same hue and saturation, lightness moved as little as possible)
    that reaches ``ratio`` against ``against``; ``None`` if no shade does."""
    if contrast(colour, against) >= ratio:
        return _hex(_rgb(colour))
    h, l, s = colorsys.rgb_to_hls(*_rgb(colour))
    best: tuple[float, str] | None = None
    for direction in (-1, 1):
        step = 0
        while True:
            step += 1
            lightness = l + direction * step * 0.0025
            if not 0.0 <= lightness <= 1.0:
                break
            candidate = _hex(colorsys.hls_to_rgb(h, lightness, s))
            if contrast(candidate, against) >= ratio:
                if best is None or abs(lightness - l) < best[0]:
                    best = (abs(lightness - l), candidate)
                break
    return best[1] if best else None


def _shade(colour: str, lightness_delta: float) -> str:
    h, l, s = colorsys.rgb_to_hls(*_rgb(colour))
    return _hex(colorsys.hls_to_rgb(h, max(0.0, min(1.0, l + lightness_delta)), s))


# --------------------------------------------------------------------------- the profile

@dataclass(frozen=True)
class Clinic:
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
        }

    def stylesheet(self) -> str:
        """The brand's colours as Material's CSS custom properties, both colour schemes."""
        dark_link = nearest_passing(self.link, SLATE_BG) or "#8ab4f8"
        dark_accent = nearest_passing(self.accent, SLATE_BG) or dark_link
        return (
            "/* generated by patientguide from the clinic profile: do not edit */\n"
            ":root, [data-md-color-scheme=default] {\n"
            f"  --md-primary-fg-color: {self.primary};\n"
            f"  --md-primary-fg-color--light: {_shade(self.primary, 0.08)};\n"
            f"  --md-primary-fg-color--dark: {_shade(self.primary, -0.08)};\n"
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


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _compose_chain(config_file: Path) -> list[tuple[Path, yaml.Node | None]]:
    """``(file, root node)`` from the top parent down to ``config_file``."""
    chain: list[tuple[Path, yaml.Node | None]] = []
    path, seen = config_file.resolve(), set()
    while path and path not in seen:
        seen.add(path)
        try:
            node = yaml.compose(path.read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader)
        except (OSError, yaml.YAMLError):
            node = None  # the config reader reports these
        chain.append((path, node))
        parent = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == "INHERIT" and isinstance(v, yaml.ScalarNode):
                    parent = (path.parent / v.value).resolve()
        path = parent
    return list(reversed(chain))


def _child(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    return None


def load_clinic(config_file: Path | None, rel: Any = None) -> tuple[Clinic | None, list[dx.Diagnostic]]:
    """Read and check ``extra.clinic`` through the ``INHERIT`` chain of ``config_file``.

    ``rel`` turns a path into the project-relative text diagnostics show. No profile at all is
    not an error: the site then shows no clinic details.
    """
    if config_file is None:
        return None, []
    rel = rel or (lambda p: p.as_posix())
    diags: list[dx.Diagnostic] = []
    values: dict[str, tuple[yaml.Node, Path]] = {}
    block: tuple[Path, yaml.Node] | None = None
    for path, root in _compose_chain(config_file):
        extra = _child(root, "extra")
        clinic = _child(extra[1], "clinic") if extra else None
        if clinic is None:
            continue
        key, node = clinic
        block = (path, key)
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            continue
        if not isinstance(node, yaml.MappingNode):
            line, col = _pos(node)
            diags.append(dx.make(rel(path), line, col, "clinic.invalid", "'extra.clinic' must be a mapping of fields"))
            return None, diags
        for k, v in node.value:
            name = str(k.value)
            if name in _GROUPS and not isinstance(v, yaml.MappingNode):
                line, col = _pos(v)
                diags.append(dx.make(rel(path), line, col, "clinic.invalid",
                                     f"'{name}' must be a mapping such as {{primary: \"#00695c\", accent: \"#ad1457\"}}"))
                continue
            if name in _GROUPS:
                for sk, sv in v.value:
                    values[f"{name}.{sk.value}"] = (sv, path)
                    values.setdefault(f"@{name}.{sk.value}", (sk, path))
            else:
                values[name] = (v, path)
                values[f"@{name}"] = (k, path)
    if block is None:
        return None, []

    def err(name: str, msg: str, hint: str | None = None, code: str = "clinic.invalid", at_key: bool = False) -> None:
        node, path = values.get(("@" + name) if at_key else name, (None, None))
        if node is None:
            path, node = block
        line, col = _pos(node)
        diags.append(dx.make(rel(path), line, col, code, msg, hint))

    known = set(FIELDS) | _GROUPS
    for name in [n for n in values if not n.startswith("@")]:
        if name not in FIELDS and name not in _GROUPS:
            short = name.split(".")[-1]
            hint = dx.did_you_mean(name, known) or dx.did_you_mean(short, [f.split(".")[-1] for f in FIELDS])
            err(name, f"unknown clinic field '{name}'", hint, at_key=True)

    got: dict[str, Any] = {}
    for name, (kind, required) in FIELDS.items():
        entry = values.get(name)
        node = entry[0] if entry else None
        if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
            if required:
                quote = ' (a colour must be quoted in YAML: "#00695c"; an unquoted # starts a comment)' \
                    if kind == "colour" and node is not None else ""
                err(name if node is not None else "", f"the clinic profile needs '{name}'{quote}")
            continue
        value = _value(node, kind)
        problem = None
        if value is None:
            problem = f"'{name}' must be {'a list of lines or text' if kind == 'lines' else 'text'}"
        elif kind == "lines":
            value = tuple(v.strip() for v in value if v.strip())
            if not value:
                problem = f"'{name}' is empty"
        else:
            value = value.strip()
            problem = _check_value(name, kind, value, entry[1])
            if kind == "path" and problem is None:
                value = (entry[1].parent / value).resolve()
        if problem:
            err(name, problem)
            continue
        got[name] = value

    if not any(got.get(f) or f in values for f in ("phone", "email", "booking_url")):
        err("", "the clinic profile needs a way to reach the clinic: 'phone', 'email' or 'booking_url'")
    country = (got.get("country") or "").upper() or None
    emergency = got.get("emergency") or EMERGENCY.get(country or "") or \
        ("In an emergency, call 112." if country in EU_112 else None)
    if not emergency:
        err("", "the clinic profile needs 'emergency' (what to do in an emergency) or a 'country' whose "
                "emergency number is known (" + ", ".join(sorted(EMERGENCY)) + ", EU countries)")

    primary, accent = got.get("colors.primary"), got.get("colors.accent")
    link = got.get("colors.link") or primary
    on_primary = got.get("colors.text_on_primary") or WHITE
    if primary:
        _contrast_check(err, "colors.text_on_primary" if "colors.text_on_primary" in got else "colors.primary",
                        "text on the primary colour", on_primary, primary, adjust=primary, against=on_primary,
                        adjust_name="colors.primary")
    # (contrast is symmetric: with the default link colour this is the same pair as above)
    if link and {_hex(_rgb(link)), WHITE} != ({_hex(_rgb(primary)), _hex(_rgb(on_primary))} if primary else set()):
        _contrast_check(err, "colors.link" if "colors.link" in got else "colors.primary",
                        "the link colour on the page background", link, WHITE, adjust=link, against=WHITE,
                        adjust_name="colors.link" if "colors.link" in got else "colors.primary")
    if accent:
        _contrast_check(err, "colors.accent", "the accent (link hover) colour on the page background", accent, WHITE,
                        adjust=accent, against=WHITE, adjust_name="colors.accent")
    if any(d.severity is dx.Severity.ERROR for d in diags):
        return None, diags
    paper = (got.get("paper") or ("letter" if country in LETTER_COUNTRIES else "a4")).lower()
    sources = {n: f"{rel(p)}:{_pos(nd)[0]}:{_pos(nd)[1]}" for n, (nd, p) in values.items() if not n.startswith("@")}
    return Clinic(
        name=got["name"], short_name=got.get("short_name") or got["name"], publisher=got["publisher"],
        locale=got["locale"], primary=_hex(_rgb(primary)), accent=_hex(_rgb(accent)), link=_hex(_rgb(link)),
        text_on_primary=_hex(_rgb(on_primary)), emergency=emergency, disclaimer=got.get("disclaimer") or DEFAULT_DISCLAIMER,
        paper=paper, country=country, phone=got.get("phone"), email=got.get("email"),
        address=got.get("address", ()), opening_hours=got.get("opening_hours", ()), booking_url=got.get("booking_url"),
        logo=got.get("logo"), favicon=got.get("favicon"), contact_note=got.get("contact_note"), sources=sources,
    ), diags


def _contrast_check(err, field_name: str, what: str, fg: str, bg: str, *, adjust: str, against: str,
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


def _check_value(name: str, kind: str, value: str, declared_in: Path) -> str | None:
    if not value:
        return f"'{name}' is empty"
    if kind == "text":
        return None if len(value) <= 600 else f"'{name}' is too long ({len(value)} characters; at most 600)"
    if kind == "colour":
        return None if _HEX.match(value) else f"'{name}' must be a hex colour like \"#00695c\", got '{value}'"
    if kind == "phone":
        return None if _PHONE.match(value) else (f"'{name}' must be a phone number (digits, spaces, + ( ) - .), "
                                                 f"got '{value}'")
    if kind == "email":
        return None if _EMAIL.match(value) else f"'{name}' must be an e-mail address, got '{value}'"
    if kind == "url":
        return None if _URL.match(value) else f"'{name}' must be an http(s) address, got '{value}'"
    if kind == "country":
        return None if re.fullmatch(r"[A-Za-z]{2}", value) else \
            f"'{name}' must be a two-letter country code such as GB or US, got '{value}'"
    if kind == "locale":
        return None if _LOCALE.match(value) else f"'{name}' must be a language tag such as en-GB, got '{value}'"
    if kind == "paper":
        return None if value.lower() in ("a4", "letter") else f"'{name}' must be a4 or letter, got '{value}'"
    if kind == "path":
        p = (declared_in.parent / value)
        if p.suffix.lower() not in _IMAGE_TYPES:
            return f"'{name}' must be an image ({', '.join(sorted(_IMAGE_TYPES))}), got '{value}'"
        if not p.is_file():
            return f"'{name}' file not found: '{value}' (relative to {declared_in.name} in {declared_in.parent.name}/)"
        return None
    return None
