"""The clinic profile: fields with positions through INHERIT, WCAG contrast with the nearest
passing shade, emergency text and paper size by country, and the brand stylesheet."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from patientguide.clinic import SLATE_BG, load_clinic
from patientguide.colour import contrast, luminance, nearest_passing

GOOD = """\
site_name: Test
extra:
  clinic:
    name: Northfield Sweat Clinic
    short_name: Northfield
    colors:
      primary: "#00695c"
      accent: "#ad1457"
    phone: 0161 496 0123
    email: clinic@northfield.example
    address: [Ward 4, Northfield NF1 2AB]
    country: GB
    publisher: Northfield Hospital
    locale: en-GB
"""


def write(tmp_path: Path, text: str, name: str = "mkdocs.yml") -> Path:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


def load(path: Path, root: Path | None = None):
    return load_clinic(path, lambda p: p.name, root=root)


def messages(diags) -> list[str]:
    return [str(d) for d in diags]


# --- colour arithmetic -------------------------------------------------------------------

def test_contrast_known_values() -> None:
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert luminance("#fff") == pytest.approx(1.0)


@pytest.mark.parametrize("colour,against", [("#777777", "#ffffff"), ("#7fb3d5", "#ffffff"),
                                            ("#f06292", "#ffffff"), ("#1f5f8b", SLATE_BG)])
def test_nearest_passing_passes_and_stays_close(colour: str, against: str) -> None:
    fix = nearest_passing(colour, against)
    assert fix is not None and contrast(fix, against) >= 4.5
    # close: no lighter/darker shade of the same hue that also passes is nearer in lightness
    import colorsys
    def light(c):
        return colorsys.rgb_to_hls(*(int(c[i:i + 2], 16) / 255 for i in (1, 3, 5)))[1]
    assert abs(light(fix) - light(colour)) < 0.35


def test_nearest_passing_of_a_passing_colour_is_itself() -> None:
    assert nearest_passing("#00695c", "#ffffff") == "#00695c"


# --- the profile ---------------------------------------------------------------------------

def test_good_profile(tmp_path: Path) -> None:
    clinic, diags = load(write(tmp_path, GOOD))
    assert diags == []
    assert clinic.name == "Northfield Sweat Clinic" and clinic.short_name == "Northfield"
    assert clinic.phone_href == "tel:01614960123"
    assert clinic.address == ("Ward 4", "Northfield NF1 2AB")
    assert clinic.emergency.startswith("In an emergency, call 999")
    assert clinic.paper == "a4" and clinic.og_locale == "en_GB"
    assert clinic.link == clinic.primary == "#00695c"


def test_no_profile_is_not_an_error(tmp_path: Path) -> None:
    assert load(write(tmp_path, "site_name: Test\n")) == (None, [])


def test_missing_required_fields_point_at_the_clinic_block(tmp_path: Path) -> None:
    clinic, diags = load(write(tmp_path, """\
        site_name: Test
        extra:
          clinic:
            short_name: X
            colors: {primary: "#00695c", accent: "#ad1457"}
            email: a@b.example
            locale: en-GB
        """))
    assert clinic is None
    out = messages(diags)
    assert "mkdocs.yml:3:3: error: the clinic profile needs 'name' [clinic.invalid]" in out
    assert "mkdocs.yml:3:3: error: the clinic profile needs 'publisher' [clinic.invalid]" in out
    assert any("needs 'emergency_number'" in m for m in out)


def test_wrong_values_point_at_the_value(tmp_path: Path) -> None:
    text = GOOD.replace("0161 496 0123", "call us!").replace("clinic@northfield.example", "not-an-address")
    text = text.replace("locale: en-GB", "locale: English").replace("country: GB", "country: Britain")
    _, diags = load(write(tmp_path, text))
    out = messages(diags)
    assert "mkdocs.yml:9:12: error: 'phone' must be a phone number (digits, spaces, + ( ) - .), got 'call us!' " \
           "[clinic.invalid]" in out
    assert any(m.startswith("mkdocs.yml:10:12: error: 'email' must be an e-mail address") for m in out)
    assert any(m.startswith("mkdocs.yml:12:14: error: 'country' must be a two-letter country code") for m in out)
    assert any(m.startswith("mkdocs.yml:14:13: error: 'locale' must be a language tag") for m in out)


def test_unknown_field_did_you_mean(tmp_path: Path) -> None:
    _, diags = load(write(tmp_path, GOOD + "    phon: 123\n"))
    assert messages(diags) == ["mkdocs.yml:15:5: error: unknown clinic field 'phon' (did you mean 'phone'?) "
                               "[clinic.invalid]"]


def test_colours_must_be_a_mapping(tmp_path: Path) -> None:
    text = GOOD.replace('    colors:\n      primary: "#00695c"\n      accent: "#ad1457"\n', "    colors: [red, blue]\n")
    clinic, diags = load(write(tmp_path, text))
    assert clinic is None
    assert messages(diags)[0].startswith("mkdocs.yml:6:13: error: 'colors' must be a mapping")


def test_unquoted_colour_explains_yaml_comments(tmp_path: Path) -> None:
    _, diags = load(write(tmp_path, GOOD.replace('primary: "#00695c"', "primary: #00695c")))
    (d,) = diags
    assert d.line == 7 and "needs 'colors.primary'" in d.message and "must be quoted" in d.message


def test_low_contrast_gives_ratio_and_nearest_passing_shade(tmp_path: Path) -> None:
    _, diags = load(write(tmp_path, GOOD.replace("#00695c", "#4db6ac")))
    contrast_errors = [d for d in diags if d.code == "clinic.contrast"]
    assert {d.line for d in contrast_errors} == {7}
    text = messages(contrast_errors)[0]
    assert re.search(r"has contrast 2\.\d\d:1 \(#ffffff on #4db6ac\); WCAG AA needs 4\.5:1", text) or \
        re.search(r"has contrast 2\.\d\d:1 \(#4db6ac on #ffffff\); WCAG AA needs 4\.5:1", text)
    fix = re.search(r'nearest passing shade for \'colors.primary\': "(#[0-9a-f]{6})"', text).group(1)
    assert contrast(fix, "#ffffff") >= 4.5
    # the suggestion really works: the same profile with the suggested shade passes
    _, diags = load(write(tmp_path, GOOD.replace("#00695c", fix)))
    assert diags == []


def test_accent_on_background_is_checked(tmp_path: Path) -> None:
    _, diags = load(write(tmp_path, GOOD.replace("#ad1457", "#f48fb1")))
    (d,) = diags
    assert d.code == "clinic.contrast" and d.line == 8 and "accent" in d.message


def test_a_way_to_reach_the_clinic_is_required(tmp_path: Path) -> None:
    text = GOOD.replace("    phone: 0161 496 0123\n", "").replace("    email: clinic@northfield.example\n", "")
    _, diags = load(write(tmp_path, text))
    assert messages(diags) == ["mkdocs.yml:3:3: error: the clinic profile needs a way to reach the clinic: "
                               "'phone', 'email' or 'booking_url' [clinic.invalid]"]


def test_country_sets_emergency_and_paper(tmp_path: Path) -> None:
    clinic, _ = load(write(tmp_path, GOOD.replace("country: GB", "country: US")))
    assert clinic.emergency == "In an emergency, call 911." and clinic.paper == "letter"
    clinic, _ = load(write(tmp_path, GOOD.replace("country: GB", "country: DE")))
    assert "112" in clinic.emergency and clinic.paper == "a4"
    clinic, _ = load(write(tmp_path, GOOD + "    emergency: Call 000 or go to your nearest hospital.\n"
                                             "    paper: Letter\n"))
    assert clinic.emergency == "Call 000 or go to your nearest hospital." and clinic.paper == "letter"


def test_inherit_child_overrides_and_errors_name_the_child(tmp_path: Path) -> None:
    base = write(tmp_path, GOOD.replace("    short_name: Northfield\n", "    short_name: Northfield\n"
                                        "    logo: brand/logo.svg\n"))
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    child = write(tmp_path, """\
        INHERIT: ../../mkdocs.yml
        extra:
          clinic:
            name: Lakeside Skin Center
            colors:
              primary: "#5b2c83"
            phone: (208) 555-0147
            inherit: [publisher, locale, country, logo]
        """, "brands/lakeside/mkdocs.yml")
    clinic, diags = load(child, root=tmp_path)
    assert diags == []
    assert clinic.name == "Lakeside Skin Center" and clinic.primary == "#5b2c83"
    assert clinic.accent == "#ad1457" and clinic.publisher == "Northfield Hospital"  # inherited
    assert clinic.phone_href == "tel:2085550147"
    assert clinic.logo == (tmp_path / "brand" / "logo.svg").resolve()  # relative to the file that names it
    assert base.exists()
    child.write_text(child.read_text().replace("(208) 555-0147", "five"))
    _, diags = load(child, root=tmp_path)
    assert [(d.path, d.line, d.col) for d in diags] == [("mkdocs.yml", 7, 12)]  # the child's own file


def test_missing_logo_file(tmp_path: Path) -> None:
    _, diags = load(write(tmp_path, GOOD + "    logo: nowhere.svg\n"))
    (d,) = diags
    assert d.line == 15 and "'logo' file not found: 'nowhere.svg'" in d.message


def test_stylesheet_has_both_schemes_and_dark_links_pass(tmp_path: Path) -> None:
    clinic, _ = load(write(tmp_path, GOOD))
    css = clinic.stylesheet()
    assert "--md-primary-fg-color: #00695c;" in css and "--md-accent-fg-color: #ad1457;" in css
    dark = css.split("[data-md-color-scheme=slate]")[1]
    link = re.search(r"--md-typeset-a-color: (#[0-9a-f]{6})", dark).group(1)
    assert contrast(link, SLATE_BG) >= 4.5


# --- a brand's profile is its own (identity never inherited unless asked) -------------------

ROOT_PROFILE = """\
site_name: Guide
site_url: https://guide.example/
extra:
  clinic:
    name: Iontophoresis Patient Guide
    logo: logo.svg
    colors: {primary: "#1f5f8b", accent: "#a3410f"}
    email: editors@guide.example
    contact_note: For questions about this guide, e-mail its editors.
    country: GB
    publisher: the patientguide project
    locale: en-GB
    disclaimer: The editors' own disclaimer.
"""
MINIMAL_BRAND = """\
INHERIT: ../../mkdocs.yml
site_url: https://us-clinic.example/
extra:
  clinic:
    name: Demo US Clinic
    colors: {primary: "#5b2c83"}
    phone: (208) 555-0199
    country: US
    publisher: Demo US Clinic Inc.
"""


def brand_project(tmp_path: Path, brand: str = MINIMAL_BRAND) -> Path:
    write(tmp_path, ROOT_PROFILE)
    (tmp_path / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    return write(tmp_path, brand, "brands/us/mkdocs.yml")


def load_in(path: Path, root: Path):
    return load_clinic(path, lambda p: p.resolve().relative_to(root.resolve()).as_posix(), root=root)


def test_brand_takes_identity_only_from_its_own_file(tmp_path: Path) -> None:
    brand = brand_project(tmp_path)
    clinic, diags = load_in(brand, tmp_path)
    assert clinic is None
    assert messages(diags) == ["brands/us/mkdocs.yml:4:3: error: the clinic profile needs 'locale' [clinic.invalid]"]
    brand.write_text(MINIMAL_BRAND + "    locale: en-US\n")
    clinic, diags = load_in(brand, tmp_path)
    assert diags == []
    assert clinic.email is None and clinic.contact_note is None and clinic.logo is None and clinic.favicon is None
    assert clinic.locale == "en-US" and clinic.og_locale == "en_US"
    assert clinic.emergency == "In an emergency, call 911." and clinic.paper == "letter"
    assert "editors" not in clinic.disclaimer  # the built-in default, not the parent's
    assert clinic.primary == "#5b2c83" and clinic.accent == "#a3410f"  # colours do inherit
    assert set(clinic.sources) <= {"name", "colors.primary", "colors.accent", "phone", "country", "publisher",
                                   "locale"}
    ctx = clinic.context()
    assert ctx["email"] is None and ctx["logo"] is None and ctx["contact_note"] is None


def test_brand_asks_for_inherited_fields_by_name(tmp_path: Path) -> None:
    brand = brand_project(tmp_path, MINIMAL_BRAND + "    inherit: [email, contact_note, locale, disclaimer, logo]\n")
    clinic, diags = load_in(brand, tmp_path)
    assert diags == []
    assert clinic.email == "editors@guide.example" and clinic.locale == "en-GB"
    assert clinic.disclaimer == "The editors' own disclaimer." and clinic.logo == (tmp_path / "logo.svg").resolve()
    assert clinic.sources["email"] == "mkdocs.yml:8:12"  # where it was written
    brand.write_text(MINIMAL_BRAND + "    locale: en-US\n    inherit: [emial, booking_url]\n")
    _, diags = load_in(brand, tmp_path)
    assert messages(diags) == [
        "brands/us/mkdocs.yml:11:15: error: 'inherit' names an unknown clinic field 'emial' (did you mean 'email'?) "
        "[clinic.invalid]",
        "brands/us/mkdocs.yml:11:22: error: 'inherit' asks for 'booking_url', but no file this one INHERITs sets it "
        "[clinic.invalid]"]


def test_brand_with_an_empty_profile_inherits_no_identity(tmp_path: Path) -> None:
    brand = brand_project(tmp_path, "INHERIT: ../../mkdocs.yml\nsite_url: https://x.example/\nextra:\n  clinic:\n")
    clinic, diags = load_in(brand, tmp_path)
    assert clinic is None
    needs = {re.search(r"needs '([a-z_]+)'", m).group(1) for m in messages(diags) if "needs '" in m}
    assert needs == {"name", "publisher", "locale", "emergency_number"}
    assert any("needs a way to reach the clinic" in m for m in messages(diags))


def test_brand_with_its_own_profile_needs_its_own_site_url(tmp_path: Path) -> None:
    text = MINIMAL_BRAND.replace("site_url: https://us-clinic.example/\n", "") + "    locale: en-US\n"
    brand = brand_project(tmp_path, text)
    _, diags = load_in(brand, tmp_path)
    (d,) = diags
    assert (d.path, d.line, d.code) == ("brands/us/mkdocs.yml", 3, "clinic.invalid")
    assert "site_url 'https://guide.example/' comes from mkdocs.yml" in d.message
    brand.write_text("site_url: https://FILL-IN.example/guide/\n" + text)
    _, diags = load_in(brand, tmp_path)
    assert messages(diags) == ["brands/us/mkdocs.yml:1:11: error: 'site_url' is still the placeholder "
                               "'https://FILL-IN.example/guide/': fill in the address this guide is published at "
                               "[clinic.placeholder]"]


# --- the emergency number ---------------------------------------------------------------------

@pytest.mark.parametrize("country,number", [("GB", "999"), ("US", "911"), ("CA", "911"), ("IE", "112"),
                                            ("DE", "112"), ("FR", "112"), ("AU", "000"), ("NZ", "111")])
def test_emergency_number_from_country(tmp_path: Path, country: str, number: str) -> None:
    clinic, diags = load(write(tmp_path, GOOD.replace("country: GB", f"country: {country}")))
    assert diags == [] and clinic.emergency_number == number
    assert clinic.placeholders() == {"clinic.emergency_number": number, "clinic.emergency": clinic.emergency}
    assert number in clinic.emergency and clinic.context()["emergency_number"] == number


def test_emergency_number_is_required_where_the_country_gives_none(tmp_path: Path) -> None:
    _, diags = load(write(tmp_path, GOOD.replace("country: GB", "country: JP")))
    assert messages(diags) == ["mkdocs.yml:3:3: error: the clinic profile needs 'emergency_number' (the number to "
                               "call in an emergency), or a 'country' that gives one (AU, CA, GB, IE, NZ, US, EU "
                               "countries) [clinic.invalid]"]
    clinic, diags = load(write(tmp_path, GOOD.replace("country: GB", "country: JP\n    emergency_number: '119'")))
    assert diags == [] and clinic.emergency_number == "119" and clinic.emergency == "In an emergency, call 119."
    _, diags = load(write(tmp_path, GOOD.replace("country: GB", "country: JP\n    emergency_number: 11x")))
    assert messages(diags) == ["mkdocs.yml:13:23: error: 'emergency_number' must be the digits of a phone number "
                               "such as 112, got '11x' [clinic.invalid]"]


# --- placeholders -------------------------------------------------------------------------------

def test_placeholder_values_are_errors_at_each_value(tmp_path: Path) -> None:
    text = GOOD.replace("name: Northfield Sweat Clinic", 'name: "FILL-IN: the clinic\'s name"')
    text = text.replace("address: [Ward 4, Northfield NF1 2AB]", 'address: [Ward 4, "FILL-IN: town and postcode"]')
    clinic, diags = load(write(tmp_path, text))
    assert clinic is None
    assert [(d.line, d.col, d.code) for d in diags] == [(4, 11, "clinic.placeholder"), (11, 14, "clinic.placeholder")]
    assert "'name' is still the placeholder 'FILL-IN: the clinic's name': fill it in" in diags[0].message
    assert diags[1].message.endswith("fill it in, or delete the line")


# --- logo and favicon: inside the project, and images by their content -----------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 4 4">{}</svg>'


def with_logo(tmp_path: Path, name: str, content: bytes | str, field: str = "logo") -> list:
    p = tmp_path / name
    p.write_bytes(content.encode() if isinstance(content, str) else content)
    return load(write(tmp_path, GOOD + f"    {field}: {name}\n"))[1]


def test_logo_outside_the_project_is_an_error(tmp_path: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "x.svg"
    outside.write_text(SVG.format(""))
    project = tmp_path / "project"
    project.mkdir()
    for value in (str(outside), f"../../{outside.parent.name}/x.svg"):
        _, diags = load(write(project, GOOD + f"    logo: {value}\n"))
        (d,) = diags
        assert (d.line, d.col, d.code) == (15, 11, "path.outside-project")
        assert f"'{outside.resolve()}'" in d.message and f"outside the project root '{project.resolve()}'" in d.message
    (project / "logo.svg").symlink_to(outside)  # a link inside the project that leads out of it
    _, diags = load(write(project, GOOD + "    favicon: logo.svg\n"))
    assert [(d.line, d.code) for d in diags] == [(15, "path.outside-project")]


def test_image_type_comes_from_content_not_name(tmp_path: Path) -> None:
    assert with_logo(tmp_path, "real.png", PNG) == []
    (d,) = with_logo(tmp_path, "logo.png", "just some text\n")
    assert (d.line, d.col, d.code) == (15, 11, "clinic.bad-image")
    assert d.message.startswith("'logo' file 'logo.png' is not an image")
    (d,) = with_logo(tmp_path, "logo.svg", PNG)
    assert d.message == "'logo' file 'logo.svg' is a PNG image, but its name ends in '.svg' (rename it to end in '.png')"
    (d,) = with_logo(tmp_path, "page.svg", "<html xmlns='http://www.w3.org/1999/xhtml'><body/></html>", "favicon")
    assert "root is <html>, not <svg>" in d.message


@pytest.mark.parametrize("name,data", [
    ("icon.gif", b"GIF89a" + b"\x00" * 10), ("icon.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 "),
    ("icon.ico", b"\x00\x00\x01\x00\x01\x00" + b"\x00" * 16), ("icon.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 8)])
def test_every_allowed_raster_type_by_magic_bytes(tmp_path: Path, name: str, data: bytes) -> None:
    assert with_logo(tmp_path, name, data, "favicon") == []
    (d,) = with_logo(tmp_path, "x" + name, b"GIF" if data[:3] != b"GIF" else b"\x89PNG", "favicon")
    assert d.code == "clinic.bad-image"


@pytest.mark.parametrize("body,why", [
    ("<script>alert(1)</script>", "<script> element"),
    ('<rect width="4" height="4" onload="alert(1)"/>', "event handler (onload="),
    ('<a href="javascript:alert(1)"><rect/></a>', "script address"),
    ('<a xlink:href="&#106;avascript:alert(1)"><rect/></a>', "script address"),
    ('<a href=" JaVa&#9;script:alert(1)"><rect/></a>', "script address"),
    ('<image href="https://tracker.example/x.png"/>', "external reference"),
    ('<use xlink:href="other.svg#icon"/>', "external reference"),
    ('<rect style="fill: url(https://evil.example/x.svg#p)"/>', "external reference url("),
    ('<rect fill="url(\'//evil.example/p\')"/>', "external reference url("),
    ("<style>@import 'https://evil.example/x.css';</style>", "@import"),
    ("<style>rect { fill: url(http://evil.example/p) }</style>", "external reference url("),
    ("<foreignObject><div xmlns='http://www.w3.org/1999/xhtml'>x</div></foreignObject>", "<foreignObject>"),
    ('<animate attributeName="href" to="https://evil.example/"/>', "animates"),
    ('<set attributeName="onclick" to="alert(1)"/>', "animates"),
])
def test_unsafe_svg_is_refused(tmp_path: Path, body: str, why: str) -> None:
    (d,) = with_logo(tmp_path, "logo.svg", SVG.format(body))
    assert d.code == "clinic.bad-image" and why in d.message, d.message


def test_svg_prolog_tricks_are_refused_and_plain_svg_features_pass(tmp_path: Path) -> None:
    stylesheet = '<?xml-stylesheet href="https://evil.example/x.css"?>' + SVG.format("")
    entity = '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]>' + SVG.format("<text>&a;</text>")
    for text, why in ((stylesheet, "xml-stylesheet"), (entity, "declares an entity")):
        (d,) = with_logo(tmp_path, "logo.svg", text)
        assert why in d.message
    fine = ('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
            '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
            + SVG.format('<defs><linearGradient id="g"/></defs><rect fill="url(#g)" style="stroke:url(#g)"/>'
                         '<use xlink:href="#g"/><image href="data:image/png;base64,iVBORw0KGgo="/>'
                         '<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>'))
    assert with_logo(tmp_path, "fine.svg", fine) == []


def test_a_nul_character_in_the_logo_path_is_an_error(tmp_path: Path) -> None:
    _, diags = load(write(tmp_path, GOOD + '    logo: "a\\0b.svg"\n'))
    assert messages(diags) == ["mkdocs.yml:15:11: error: 'logo' 'a\\0b.svg' contains a NUL character, which no file "
                               "name can [path.outside-project]"]
