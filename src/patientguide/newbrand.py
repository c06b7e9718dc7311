"""``patientguide new-brand <id>``: a complete, commented ``brands/<id>/mkdocs.yml`` and a
placeholder logo.

Every value a clinic must supply is written as a ``FILL-IN`` placeholder, and the logo is an
SVG marked as the placeholder: each is a ``clinic.placeholder`` error (an integrity error, so
it cannot be lowered) until it is filled in, so ``make site BRAND=<id>`` refuses to build a
half-made brand. Optional fields are written commented out: left so, they are absent from the
pages.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path

from .clinic import PLACEHOLDER, load_clinic
from .images import PLACEHOLDER_ATTR
from .options import load_site_config
from .project import OutsideProject, outside_message, real, resolve_inside
from .settings import ConfigError, Settings
from .yamlpos import compose_chain

BRAND_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?")
DEFAULT_COLOURS = ("#1f5f8b", "#a3410f")

LOGO = f"""\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64"
     {PLACEHOLDER_ATTR}="replace this file with the clinic's logo">
  <rect x="2" y="2" width="60" height="60" rx="8" fill="#ffffff" stroke="#5f6368" stroke-width="4"
        stroke-dasharray="8 6"/>
  <text x="32" y="38" font-family="sans-serif" font-size="14" text-anchor="middle" fill="#3c4043">LOGO</text>
</svg>
"""

TEMPLATE = """\
# Brand '{id}', written by `patientguide new-brand {id}`.
# The whole guide comes from {inherit}; this file sets the clinic's profile and the paths MkDocs
# reads relative to this file. Every value with {marker} in it is an error until you replace
# it, and so is the placeholder logo.svg: `patientguide check -f brands/{id}/mkdocs.yml` lists
# them, and `make site BRAND={id}` refuses to build until none is left.
# Build: make site BRAND={id} (into build/brands/{id}/). Preview: make serve BRAND={id}.
INHERIT: {inherit}                       # the site this brand publishes
docs_dir: {docs_dir}                     # the pages (relative to this file)
{theme}site_url: https://{marker}.example/guide/   # the address this brand is published at (canonical links, QR codes)
plugins:
  patientguide:
    project_root: {project_root}         # the project's folder; every path below starts there
    nginx_headers: {nginx}   # security headers for nginx, written by each build
extra:
  clinic:
    # Who the clinic is and how to reach it. Nothing here is taken from {inherit} except the
    # colours; to take a field from it, list the field under `inherit:` (last line).
    name: "{marker}: the clinic's name"   # brand bar, contact block, footer, handouts, link previews
    # short_name: Short name             # a shorter name (default: name)
    logo: logo.svg                       # an image (SVG, PNG, WebP, JPEG, GIF) next to this file:
                                         # replace logo.svg, or delete this line
    # favicon: favicon.png               # the browser tab icon, next to this file (default: the logo)
    colors:
      primary: "{primary}"               # header colour; its text must reach 4.5:1 contrast
      accent: "{accent}"                # link hover colour; must reach 4.5:1 on white
      # link: "{primary}"                # link colour (default: primary); must reach 4.5:1 on white
      # text_on_primary: "#ffffff"       # header text colour (default: white)
    # How patients reach the clinic: at least one of phone, email and booking_url.
    # Fill in the ones you have and delete the others.
    phone: "{marker}: the clinic's phone number"   # shown in the brand bar; becomes a tap-to-call link
    email: "{marker}: the clinic's e-mail address"
    booking_url: "{marker}: https:// address of the page where patients book"
    address:                             # one line each; delete it to show no address
      - "{marker}: first line of the address"
      - "{marker}: town and postcode"
    opening_hours: "{marker}: such as Monday to Friday, 9am to 5pm"   # text, or a list of lines; delete to show none
    # contact_note: A line at the top of the contact block.
    country: "{marker}: two-letter code such as GB or US"   # sets the emergency number and the paper size
    # emergency_number: "112"            # required if the country is not GB, US, CA, IE, AU, NZ or in the EU
    # emergency: In an emergency, call 112.   # the emergency text (default: from the country or the number)
    publisher: "{marker}: the organisation that publishes this guide"   # "Published by ..." and structured data
    locale: "{marker}: language tag such as en-GB or en-US"   # the page language for link previews and search engines
    # disclaimer: ...                    # footer text (default: the guide does not replace your own doctor or nurse)
    # paper: a4                          # a4 or letter, for handouts (default: letter for US and CA, else a4)
    # inherit: [disclaimer]              # fields to take from {inherit} after all (the README lists them)
"""


def new_brand(args: argparse.Namespace) -> int:
    """Write ``brands/<id>/`` (config and placeholder logo) all at once, or nothing."""
    brand = args.id
    if not BRAND_ID.fullmatch(brand):
        print(f"patientguide: error: brand id '{brand}' must be lower-case letters, digits and hyphens, starting "
              "and ending with a letter or digit (such as 'northfield' or 'st-marys'); nothing written",
              file=sys.stderr)
        return 2
    cfg = Path(args.config_file)
    if not cfg.is_file():
        raise ConfigError(f"config file '{cfg}' not found (use -f to name it)")
    site = load_site_config(cfg)
    settings = site.settings
    _refuse_unfit_site(cfg, site.data)
    try:
        brands = resolve_inside(settings.root / "brands", settings.root)
    except OutsideProject as e:
        raise ConfigError(outside_message("the brands folder", "brands", e)) from None
    target = brands / brand
    if target.exists() or target.is_symlink():
        print(f"patientguide: error: {settings.rel_unresolved(settings.root / 'brands' / brand)} already exists; "
              "nothing written", file=sys.stderr)
        return 1
    _write_all(target, {"mkdocs.yml": _config_text(brand, cfg, settings, site.data), "logo.svg": LOGO})
    rel = settings.rel(target)
    print(f"patientguide: wrote {rel}/mkdocs.yml and {rel}/logo.svg; replace every {PLACEHOLDER} and the logo "
          f"('patientguide check -f {rel}/mkdocs.yml' lists them), then: make site BRAND={brand}")
    return 0


def _refuse_unfit_site(cfg: Path, data: dict) -> None:
    """A brand INHERITs the site's top mkdocs.yml, whose plugins must be a mapping."""
    if len(compose_chain(cfg)) > 1:
        raise ConfigError(f"{cfg} INHERITs another file: name the site's top mkdocs.yml with -f")
    if isinstance(data.get("plugins"), list):
        raise ConfigError(f"{cfg} lists its plugins as a list: a brand can change one plugin option only when "
                          "'plugins:' is a mapping (see the README's 'Clinic brands')")


def _config_text(brand: str, cfg: Path, settings: Settings, data: dict) -> str:
    target = settings.root / "brands" / brand

    def relative(p: Path) -> str:
        text = Path(os.path.relpath(real(p), real(target))).as_posix()
        return text if re.fullmatch(r"[A-Za-z0-9_./-]+", text) else json.dumps(text)

    theme = data.get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    theme_line = f"theme:\n  custom_dir: {relative(cfg.parent / str(custom))}   # the theme's overrides\n" \
        if custom else ""
    clinic, _ = load_clinic(cfg, settings.rel, root=settings.root)
    primary, accent = (clinic.primary, clinic.accent) if clinic else DEFAULT_COLOURS
    return TEMPLATE.format(id=brand, inherit=relative(cfg), docs_dir=relative(settings.docs_dir), theme=theme_line,
                           project_root=relative(settings.root), nginx=f"deploy/{brand}/nginx-headers.conf",
                           marker=PLACEHOLDER, primary=primary, accent=accent)


def _write_all(target: Path, files: dict[str, str]) -> None:
    """Write ``files`` into a new folder beside ``target`` and rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        for name, text in files.items():
            (tmp / name).write_text(text, encoding="utf-8")
        os.chmod(tmp, 0o755)
        os.rename(tmp, target)
    except OSError as e:
        for p in tmp.iterdir():
            p.unlink()
        tmp.rmdir()
        raise ConfigError(f"cannot write '{target}': {e.strerror}; nothing written") from e
