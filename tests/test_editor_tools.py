"""Editors' tools: readability gate, the report table and new-page."""

from __future__ import annotations

import subprocess

from conftest import BIN, page

HARD = page("Hard", """\
    # Hard

    Iontophoresis constitutes a therapeutic intervention utilising galvanic electricity [@karakoc2002safe].
    Contraindications necessitate individualised consideration by appropriately qualified practitioners.
    Approximately seventy percent of participants demonstrate considerable amelioration of symptomatology.
    Concomitant anticholinergic administration potentiates effectiveness considerably.
    Dermatological consultation is recommended preceding commencement of therapy.
    Physiological mechanisms remain incompletely characterised by contemporary investigations.
    """)


def test_hard_page_fails_the_readability_gate(site_factory) -> None:
    site = site_factory({"content/hard.md": HARD})
    r = site.check()
    assert r.returncode == 1
    line = next(x for x in r.stdout.splitlines() if "readability" in x)
    assert line.startswith("content/hard.md:2:1: error: reading grade (SMOG) ")
    assert line.endswith("is above the limit of 10 (use shorter sentences and words of fewer syllables, "
                         "or set 'readability_exempt: <reason>') [readability.grade-too-high]")


def test_readability_exempt_page_passes(site_factory) -> None:
    exempt = HARD.replace("status: draft", "status: draft\nreadability_exempt: technical terms for clinicians")
    site = site_factory({"content/hard.md": exempt})
    assert "readability" not in site.check().stdout


def test_limits_are_configurable(site_factory) -> None:
    site = site_factory({"content/hard.md": HARD}, options="readability_error: 30\nreadability_warn: 9")
    r = site.check()
    assert r.returncode == 0
    assert "warning: reading grade (SMOG)" in r.stdout and "is above the target of 9" in r.stdout


def test_report_table(site_factory) -> None:
    site = site_factory()
    r = site.check("--report")
    assert "| page | words | SMOG | FKGL | citations | references | status | next review |" in r.stdout
    row = next(x for x in r.stdout.splitlines() if x.startswith("| content/index.md |"))
    assert row.endswith("| 2 | 2 | draft | 2027-01-10 |")
    assert "1 pages, 3 words, 2 citations of 2 references; SMOG" in r.stdout


def test_new_page_writes_complete_front_matter(site_factory) -> None:
    site = site_factory()
    r = subprocess.run([str(BIN / "patientguide"), "new-page", "Cleaning: your device", "--today", "2026-11-24"],
                       cwd=site.root, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "wrote content/cleaning-your-device.md" in r.stdout
    text = (site.root / "content" / "cleaning-your-device.md").read_text()
    assert text.startswith('---\ntitle: "Cleaning: your device"\n')
    assert "last_reviewed: 2026-11-24\nnext_review_due: 2027-11-24\nstatus: draft\n" in text
    again = subprocess.run([str(BIN / "patientguide"), "new-page", "Cleaning: your device"],
                           cwd=site.root, capture_output=True, text=True)
    assert again.returncode == 1 and "already exists; nothing written" in again.stderr
    # the skeleton is a valid page except for its placeholder citations
    out = site.check().stdout
    assert "content/cleaning-your-device.md" in out and "unknown citation key 'key'" in out
    assert "frontmatter" not in out
