"""A generator, not one site (issue 14): the page template and assets ship in the package, so a
site needs no custom_dir; `patientguide new-site` writes a complete guide that passes the checks
and the strict build unchanged; and the wheel, installed into a fresh virtual environment, does
all of it on its own."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, _env, make_site, run_cli, run_mkdocs_build

TODAY = "2026-11-30"
STARTER_FILES = {
    ".codespell-words.txt", ".github/pull_request_template.md", ".github/workflows/check.yml", ".gitignore",
    "CONTRIBUTING.md", "Makefile", "README.md", "blocks/before-you-act.md", "content/about.md", "content/index.md",
    "mkdocs.yml", "references/sources.bib", "requirements.txt", "reviewers.yml", "theme_overrides/README.md",
}
PAGES = ("index.html", "about/index.html")  # the starter's own pages (the bibliography page is generated)
DRAFT = "Draft &mdash; not yet reviewed by a clinician."  # as the page writes it (charrefs.py)


def new_site(target: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return run_cli(["new-site", str(target), "--today", TODAY, *args], cwd=cwd or target.parent)


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def build(root: Path, site: Path) -> subprocess.CompletedProcess:
    return run_mkdocs_build(["--strict", "-d", str(site)], cwd=root, env=dict(_env(), SOURCE_DATE_EPOCH="1795996800"))


def fill_in_profile(mkdocs_yml: Path) -> None:
    """What CONTRIBUTING tells a web manager to do: delete the '# ' before each line of the clinic
    profile, replace every FILL-IN (deleting the booking link), and set site_url."""
    lines = mkdocs_yml.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == "# clinic:")
    lines[start:] = [line.replace("# ", "", 1) for line in lines[start:]]
    values = {"name": "Riverside Skin Clinic", "phone": "020 7946 0321", "email": "skin@riverside.example",
              "publisher": "Riverside Hospital"}
    out = []
    for line in lines:
        key = line.strip().split(":", 1)[0]
        if "FILL-IN" in line and key == "booking_url":
            continue
        if "FILL-IN" in line and key in values:
            line = re.sub(r'"FILL-IN[^"]*"', f'"{values[key]}"', line)
        out.append(line.replace("# site_url: https://www.example.org/guide/",
                                "site_url: https://guide.riverside.example/"))
    mkdocs_yml.write_text("".join(out), encoding="utf-8")
    assert not re.search(r'^ *[a-z_]+: "FILL-IN', mkdocs_yml.read_text(encoding="utf-8"), re.M)


# --------------------------------------------------------------------------- the theme in the package

def use_custom_dir(site) -> None:
    text = site.config.read_text()
    site.write("mkdocs.yml", text.replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"))


@pytest.mark.build
def test_a_site_without_custom_dir_gets_every_patient_facing_part(tmp_path) -> None:
    """The bug of issue 14: a site with the plugin and no custom_dir had no draft notice and no
    review dates."""
    site = make_site(tmp_path)
    assert "custom_dir" not in site.config.read_text()
    r = site.build("--strict")
    assert r.returncode == 0, r.stderr
    html = site.html()
    assert DRAFT in html
    assert 'Page last reviewed: <time datetime="2026-01-10">10 January 2026</time>' in html
    assert '<script type="application/ld+json">' in html and 'class="pg-print-only pg-handout-head"' in html
    assert 'href="assets/patientguide/theme.css"' in html and 'src="assets/patientguide/keyboard.js"' in html
    assert (site.root / "site/assets/patientguide/theme.css").read_text().count("@media print") == 1
    assert "pg-header-toggle" in (site.root / "site/assets/patientguide/keyboard.js").read_text()


@pytest.mark.build
def test_custom_dir_overrides_a_block_and_a_partial_and_keeps_the_rest(tmp_path) -> None:
    site = make_site(tmp_path)
    use_custom_dir(site)
    site.write("overrides/main.html", '{% extends "patientguide/main.html" %}\n'
               '{% block content %}<p class="mine">Ours first.</p>{{ super() }}{% endblock %}\n')
    site.write("overrides/partials/copyright.html", '<div class="my-copyright">Riverside</div>\n')
    r = site.build("--strict")
    assert r.returncode == 0, r.stderr
    html = site.html()
    assert html.index('<p class="mine">Ours first.</p>') < html.index(DRAFT)  # our block, then patientguide's
    assert "Page last reviewed" in html and 'class="my-copyright"' in html


@pytest.mark.build
def test_a_main_html_that_replaces_ours_is_a_warning_and_fails_the_strict_build(tmp_path) -> None:
    site = make_site(tmp_path)
    use_custom_dir(site)
    site.write("overrides/main.html", '{% extends "base.html" %}\n')
    r = site.check()
    assert r.returncode == 0
    assert ("overrides/main.html:1:1: warning: this main.html replaces patientguide's page template: pages lose the "
            "draft and overdue notices") in r.stdout
    assert '(start it with {% extends "patientguide/main.html" %} and override only the blocks you change) ' \
           "[theme.template-replaced]" in r.stdout
    b = site.build("--strict")
    assert b.returncode != 0 and "theme.template-replaced" in b.stderr
    site.write("overrides/main.html", "{%- extends 'patientguide/main.html' -%}\n")
    assert "theme.template-replaced" not in site.check().stdout


def test_template_folders_go_after_custom_dir_and_before_the_theme() -> None:
    from patientguide.theme import TEMPLATES, template_dirs
    ours = str(TEMPLATES)
    assert template_dirs(["/site/overrides", "/material", "/mkdocs"], "/site/overrides") == \
        ["/site/overrides", ours, "/material", "/mkdocs"]
    assert template_dirs(["/material", "/mkdocs"], None) == [ours, "/material", "/mkdocs"]
    already = ["/site/overrides", ours, "/material"]
    assert template_dirs(already, "/site/overrides") == already
    assert (TEMPLATES / "main.html").is_file() and (TEMPLATES / "patientguide/main.html").is_file()


def test_the_guide_keeps_nothing_but_a_readme_in_theme_overrides() -> None:
    assert sorted(p.name for p in (ROOT / "theme_overrides").rglob("*")) == ["README.md"]
    text = (ROOT / "mkdocs.yml").read_text()
    assert "custom_dir: theme_overrides" in text and "extra_css" not in text and "extra_javascript" not in text


# --------------------------------------------------------------------------- new-site

def test_new_site_writes_every_starter_file(tmp_path) -> None:
    r = new_site(tmp_path / "guide", "--title", "Botulinum toxin for underarm sweating", "--locale", "en-GB",
                 "--country", "gb")
    assert r.returncode == 0, r.stderr
    assert "wrote" in r.stdout and "make serve" in r.stdout
    written = files_under(tmp_path / "guide")
    assert set(written) == STARTER_FILES
    cfg = written["mkdocs.yml"].decode()
    assert 'site_name: "Botulinum toxin for underarm sweating"' in cfg and "  language: en\n" in cfg
    assert "  #   country: GB " in cfg and "  #   locale: en-GB " in cfg and "emergency_number" not in cfg
    index = written["content/index.md"].decode()
    assert 'title: "Botulinum toxin for underarm sweating"' in index
    assert "\n# Botulinum toxin for underarm sweating\n" in index
    assert "last_reviewed: 2026-11-30\nnext_review_due: 2027-11-30\nstatus: draft\n" in index
    assert '--8<-- "blocks/before-you-act.md"' in index and "[@medlineplus_evaluating]" in index
    assert "patientguide>=0.2.0,<0.3" in written["requirements.txt"].decode()
    rendered = {k: v.decode() for k, v in written.items() if k not in ("CONTRIBUTING.md", "theme_overrides/README.md")}
    assert not [k for k, v in rendered.items() if re.search(r"\{\{ [a-z_]+ \}\}|\{%", v)]  # all filled in


def test_new_site_passes_the_checks_unchanged(tmp_path) -> None:
    assert new_site(tmp_path / "guide", "--title", "A guide").returncode == 0
    r = run_cli(["check", "--strict", "--today", TODAY, "--format", "json"], cwd=tmp_path / "guide")
    assert r.returncode == 0, r.stdout + r.stderr
    report = json.loads(r.stdout)
    assert [d["code"] for d in report["diagnostics"]] == ["review.draft", "review.draft"]
    cited = {p["path"]: [c["key"] for c in p["citations"]] for p in report["pages"]}
    assert "medlineplus_evaluating" in cited["content/index.md"]


def test_the_starter_profile_is_refused_until_filled_in(tmp_path) -> None:
    """Switched on as written, every identity placeholder is an error at its line."""
    root = tmp_path / "guide"
    assert new_site(root, "--title", "A guide").returncode == 0
    cfg = root / "mkdocs.yml"
    lines = cfg.read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == "# clinic:")
    cfg.write_text("".join(lines[:start] + [line.replace("# ", "", 1) for line in lines[start:]]))
    r = run_cli(["check", "--today", TODAY], cwd=root)
    assert r.returncode == 1
    found = re.findall(r"^mkdocs\.yml:\d+:\d+: error: '(\w+)' is still the placeholder", r.stdout, re.M)
    assert sorted(found) == ["booking_url", "country", "email", "name", "phone", "publisher"]


@pytest.mark.parametrize("setup, code, message", [
    (lambda d: (d.mkdir(), (d / "notes.txt").write_text("mine")), 1, "is not empty"),
    (lambda d: d.write_text("a file"), 1, "is a file, not a folder"),
    (lambda d: (d.with_name("real").mkdir(), d.symlink_to(d.with_name("real"))), 1, "is a symbolic link"),
])
def test_new_site_refuses_a_folder_it_could_spoil(tmp_path, setup, code, message) -> None:
    target = tmp_path / "guide"
    setup(target)
    before = files_under(tmp_path)
    r = new_site(target, "--title", "A guide")
    assert r.returncode == code and message in r.stderr and "nothing written" in r.stderr
    assert files_under(tmp_path) == before and not list(tmp_path.glob(".patientguide-new-*"))


@pytest.mark.parametrize("args, message", [
    (["--title", "  "], "--title is empty"),
    (["--title", "Sweating <script>"], "--title may not contain '<' '>'"),
    (["--title", "Key [@cite]"], "--title may not contain '@' '[' ']'"),
    (["--title", "Line\nbreak"], "--title may not contain '\\n'"),
    (["--title", "x" * 121], "at most 120"),
    (["--title", "A guide", "--locale", "de-DE"], "--locale must be English"),
    (["--title", "A guide", "--locale", "english"], "--locale must be English"),
    (["--title", "A guide", "--country", "GBR"], "--country must be a two-letter country code"),
])
def test_new_site_refuses_bad_arguments_and_writes_nothing(tmp_path, args, message) -> None:
    r = new_site(tmp_path / "guide", *args)
    assert r.returncode == 2 and message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "guide").exists()


def test_new_site_fills_an_empty_folder_even_the_current_one(tmp_path) -> None:
    target = tmp_path / "guide"
    target.mkdir()
    r = run_cli(["new-site", ".", "--title", "A guide", "--today", TODAY], cwd=target)
    assert r.returncode == 0, r.stderr
    assert "Next: make serve" in r.stdout  # no 'cd' into the folder one is in
    assert set(files_under(target)) == STARTER_FILES


def test_new_site_creates_missing_parent_folders(tmp_path) -> None:
    assert new_site(tmp_path / "a" / "b" / "guide", "--title", "A guide", cwd=tmp_path).returncode == 0
    assert set(files_under(tmp_path / "a" / "b" / "guide")) == STARTER_FILES


@pytest.mark.parametrize("empty_folder", [False, True])
def test_new_site_leaves_nothing_when_writing_fails(tmp_path, monkeypatch, empty_folder) -> None:
    import patientguide.newsite as newsite

    target = tmp_path / "a" / "guide"
    if empty_folder:
        target.mkdir(parents=True)
    before = files_under(tmp_path)
    real_rename, calls = os.rename, []

    def failing_rename(src, dst):  # the last step fails: after some files (or the folder) are in place
        calls.append(dst)
        if len(calls) == (3 if empty_folder else 1):
            raise OSError(28, "No space left on device")
        return real_rename(src, dst)

    monkeypatch.setattr(newsite.os, "rename", failing_rename)
    r = new_site(target, "--title", "A guide", cwd=tmp_path)
    assert r.returncode == 2 and "No space left on device; nothing written" in r.stderr
    assert files_under(tmp_path) == before
    left = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert left == (["a", "a/guide"] if empty_folder else [])


@pytest.mark.build
def test_new_site_builds_strictly_with_every_patient_facing_part(tmp_path) -> None:
    root = tmp_path / "guide"
    assert new_site(root, "--title", "A guide", "--country", "GB", "--locale", "en-GB").returncode == 0
    r = build(root, tmp_path / "plain")
    assert r.returncode == 0, r.stderr
    for rel in PAGES:  # no clinic profile yet: the notices, dates, head and print header, no clinic parts
        html = (tmp_path / "plain" / rel).read_text()
        assert DRAFT in html and "Page last reviewed" in html and "application/ld+json" in html
        assert "pg-handout-head" in html and "pg-brandbar" not in html and 'class="pg-contact"' not in html
    fill_in_profile(root / "mkdocs.yml")
    r = build(root, tmp_path / "branded")
    assert r.returncode == 0, r.stderr
    check_branded_pages(tmp_path / "branded", "https://guide.riverside.example/")


def check_branded_pages(site: Path, site_url: str) -> None:
    """Every patient-facing feature of the iontophoresis guide, page by page."""
    for rel in PAGES:
        html = (site / rel).read_text(encoding="utf-8")
        url = site_url + rel.removesuffix("index.html")
        assert f"<strong>{DRAFT}</strong>" in html, rel
        assert re.search(r'Page last reviewed: <time datetime="2026-11-30">30 November 2026</time> &middot; '
                         r'Next review due: <time datetime="2027-11-30">30 November 2027</time>', html), rel
        brandbar = re.search(r'<section class="pg-brandbar".*?</section>', html, re.S).group(0)
        assert "Riverside Skin Clinic" in brandbar and 'href="tel:02079460321">Call 020 7946 0321' in brandbar
        contact = re.search(r'<section class="pg-contact".*?</section>', html, re.S).group(0)
        assert "Contact the clinic" in contact and "mailto:skin@riverside.example" in contact
        assert "In an emergency, call 999." in contact
        footer = re.search(r'<section class="pg-site-footer".*?</section>', html, re.S).group(0)
        assert "Published by Riverside Hospital." in footer
        data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
        assert data["@type"] == "MedicalWebPage" and data["url"] == url and data["inLanguage"] == "en-GB"
        assert data["publisher"]["name"] == "Riverside Hospital"
        assert f'<meta property="og:url" content="{url}">' in html
        head = re.search(r'<div class="pg-print-only pg-handout-head">.*?<!--/pg-handout-head-->', html, re.S).group(0)
        assert "<strong>Riverside Skin Clinic</strong> &middot; Phone 020 7946 0321" in head
        assert f"Read this page online: {url}" in head
        for asset in ("theme.css", "patientguide.css", "clinic.css", "keyboard.js", "patientguide.js"):
            assert f"assets/patientguide/{asset}" in html and (site / "assets/patientguide" / asset).is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Evaluating health information" in home and "medlineplus.gov/evaluatinghealthinformation.html" in home
    assert "Before you act on what you read" in home  # the safety block


# --------------------------------------------------------------------------- the wheel, in a fresh environment

def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    r = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, f"{' '.join(cmd)}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return r


def _clean_env(**extra: str) -> dict[str, str]:
    """No PYTHONPATH and no virtual environment of the test run: only the fresh one counts."""
    env = {k: v for k, v in _env().items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    return {**env, "PATH": os.defpath, **extra}


@pytest.mark.build
def test_wheel_in_a_fresh_environment_makes_a_complete_guide(tmp_path) -> None:
    """python -m build (sdist, then a wheel from the sdist), the wheel installed into a new virtual
    environment (not editable), new-site, then the new site's own Makefile (check, site) with that
    environment, before and after its clinic profile is filled in."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], cwd=tmp_path, env=_clean_env(
        PATH=os.environ["PATH"]))
    wheel, = dist.glob("patientguide-*.whl")
    sdist, = dist.glob("patientguide-*.tar.gz")
    check_distributions(wheel, sdist)

    venv = tmp_path / "venv"  # without pip of its own (faster): this run's pip installs into it
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path, env=_clean_env())
    py = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(py), "install", "--quiet", "--no-compile", str(wheel),
          "codespell>=2.2"], cwd=tmp_path, env=_clean_env())
    where = Path(_run([str(py), "-c", "import patientguide; print(patientguide.__file__)"], cwd=tmp_path,
                      env=_clean_env()).stdout.strip())
    assert where.resolve().is_relative_to(venv.resolve()), where  # the wheel's copy, not this checkout (editable)

    env = _clean_env(SOURCE_DATE_EPOCH="1795996800")
    _run([str(venv / "bin" / "patientguide"), "new-site", "guide", "--title", "Botulinum toxin for underarm sweating",
          "--locale", "en-GB", "--country", "GB", "--today", TODAY], cwd=tmp_path, env=env)
    root = tmp_path / "guide"
    wants = _run([sys.executable, "-m", "pip", "--python", str(py), "install", "--dry-run", "-r",
                  str(root / "requirements.txt")], cwd=root, env=_clean_env())
    assert "Would install" not in wants.stdout, wants.stdout  # the site's requirements.txt: all installed
    (venv / ".installed").touch()  # so `make` needs to install nothing
    make = ["make", "--no-print-directory", f"VENV={venv}"]
    checked = _run([*make, "check"], cwd=root, env=env)
    assert "0 errors, 0 warnings in 2 pages and 1 reference" in checked.stderr
    _run([*make, "site"], cwd=root, env=env)
    for rel in PAGES:
        assert DRAFT in (root / "site" / rel).read_text(encoding="utf-8")
    fill_in_profile(root / "mkdocs.yml")
    _run([*make, "site"], cwd=root, env=env)
    check_branded_pages(root / "site", "https://guide.riverside.example/")


def check_distributions(wheel: Path, sdist: Path) -> None:
    """The wheel carries every template, asset and starter file, and nothing from the tests."""
    import tarfile

    package = ROOT / "src" / "patientguide"
    data = {p.relative_to(package.parent).as_posix() for folder in ("templates", "assets", "starter")
            for p in (package / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert len(data) >= 20
    names = set(zipfile.ZipFile(wheel).namelist())
    assert data <= names, data - names
    assert "patientguide/py.typed" in names and not [n for n in names if n.startswith("tests/")]
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    metadata = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: MIT" in metadata and "Version: 0.2.0" in metadata
    with tarfile.open(sdist) as tar:
        members = {m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name}
    assert {"CHANGELOG.md", "LICENSE", "README.md"} <= members
    assert {"src/" + d for d in data} <= members
