"""The clinic profile: fields with positions through INHERIT, WCAG contrast with the nearest
passing shade, emergency text and paper size by country, and the brand stylesheet."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from patientguide.clinic import (SLATE_BG, contrast, load_clinic, luminance, nearest_passing)

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


def load(path: Path):
    return load_clinic(path, lambda p: p.name)


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
    assert any("needs 'emergency'" in m for m in out)


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
        """, "brands/lakeside/mkdocs.yml")
    clinic, diags = load(child)
    assert diags == []
    assert clinic.name == "Lakeside Skin Center" and clinic.primary == "#5b2c83"
    assert clinic.accent == "#ad1457" and clinic.publisher == "Northfield Hospital"  # inherited
    assert clinic.phone_href == "tel:2085550147"
    assert clinic.logo == (tmp_path / "brand" / "logo.svg").resolve()  # relative to the file that names it
    assert base.exists()
    child.write_text(child.read_text().replace("(208) 555-0147", "five"))
    _, diags = load(child)
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
