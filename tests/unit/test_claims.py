"""The claim detector behind evidence.uncited-claim: its rules one by one, and the quality gate
on the labelled set (tests/data/claims.tsv; scripts/claims-eval prints the full report)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from patientguide import claims
from patientguide.claims import KINDS, claim_kind, clean, figures, summary_supported

DATA = Path(__file__).resolve().parent.parent / "data" / "claims.tsv"
GOAL_RECALL, GOAL_PRECISION = 0.95, 0.90


def rows() -> list[list[str]]:
    out = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("id\t"):
            out.append(line.split("\t"))
    return out


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        # what the fact-check and a new editor found the old regex passed
        pytest.param("That is a small current.", "number", id="size-judgement"),
        pytest.param("Taking this medicine cuts sweating by half.", "effect", id="effect-with-number-word"),
        pytest.param("Night sweats can be a sign of cancer.", "cause", id="sign-of"),
        pytest.param("Tell your doctor if you get a dry mouth, blurred sight or trouble passing urine.", "safety",
                     id="tell-doctor-if-symptom"),
        pytest.param("Call your local emergency number if the symptoms do not settle quickly.", "safety",
                     id="emergency-advice"),
        pytest.param("If you ever have chest pain, feel faint, or feel your heart racing during a session, turn the "
                     "machine off.", "safety", id="chest-pain"),
        pytest.param("Ask if you should have sessions less often for a while.", "frequency", id="ask-proposing-change"),
        # claims with no figure
        pytest.param("Most people find it helps.", "effect", id="most-people"),
        pytest.param("It rarely causes blisters.", "risk", id="rarely"),
        pytest.param("Children can use it too.", "indication", id="children-can"),
        pytest.param("Stress makes it worse.", "cause", id="makes-worse"),
        pytest.param("Do not use it if you are pregnant.", "contraindication", id="contraindication"),
        pytest.param("Only use it with your heart specialist's approval if you have an irregular heartbeat.",
                     "contraindication", id="approval"),
        pytest.param("NHS leaflets say children under 5 cannot have it.", "contraindication", id="cannot-have"),
        pytest.param("The effect wears off after about 3 to 9 months.", "duration", id="wears-off"),
        pytest.param("Once you are dry, top-ups are often about once a week.", "frequency", id="once-a-week"),
        pytest.param("Most studies are small, and many are not of high quality.", "evidence", id="research"),
        pytest.param("One maker says metal in the path of the current is the concern.", "evidence",
                     id="reported-source"),
        pytest.param("It is not dangerous.", "risk", id="safe-or-not"),
        pytest.param("tingling: 88 out of 100", "number", id="list-item-figure"),
        pytest.param("A dry mouth is a common side effect.", "risk", id="definition-with-how-common"),
        pytest.param("Keep it away from rain and damp.", "safety", id="keep-away"),
        pytest.param("Leave your hands in the trays for 15 minutes.", "duration", id="step-with-time"),
    ],
)
def test_claims(sentence: str, kind: str) -> None:
    assert claim_kind(sentence) == kind


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("{: .note }", id="attribute-list"),
        pytest.param("{: #step-2 .note }", id="attribute-list-with-digit"),
        pytest.param(r"Write to us at help\@clinic.example any day.", id="escaped-at"),
        pytest.param(r"Follow us on social media \@sweatclinic24.", id="escaped-at-with-digits"),
        pytest.param("Call the clinic on 0161 496 0123 to change your appointment.", id="phone-number"),
        pytest.param("last_reviewed: 2026-11-24", id="front-matter-date"),
        pytest.param("Read more on the side-effects page.", id="navigation"),
        pytest.param("You can read more on the [side effects](side-effects.md) page.", id="navigation-you-can"),
        pytest.param("See [Other treatments](other-treatments.md).", id="see-link"),
        pytest.param("[Side effects](side-effects.md): what can go wrong, and when to stop.", id="link-and-colon"),
        pytest.param("Iontophoresis means using a weak electric current to treat the skin.", id="definition"),
        pytest.param("A drug that is put into the skin with a needle to reduce sweating in that part of the body.",
                     id="glossary-fragment"),
        pytest.param("Ask your nurse how to set up the machine.", id="ask-your-clinic"),
        pytest.param("If your skin gets dry, cracked or sore, ask your nurse or doctor what to use.",
                     id="ask-what-to-use"),
        pytest.param("Your nurse will show you how the machine works.", id="what-the-nurse-will-do"),
        pytest.param("This page covers what happens at your first appointment.", id="page-covers"),
        pytest.param("We aim for a reading age of about 13 or below (US grade 8).", id="about-the-site"),
        pytest.param("How long does each session take?", id="question"),
        pytest.param("Common side effects", id="heading-like"),
        pytest.param("**Blisters.**", id="bold-heading"),
        pytest.param("Turn it up slowly until you feel a tingle.", id="plain-step"),
        pytest.param("Please arrive 10 minutes before your appointment.", id="logistics"),
        pytest.param("**In an emergency, call your local emergency number.**", id="emergency-without-trigger"),
        pytest.param("The machine has a display and two cables.", id="counting-parts"),
    ],
)
def test_not_claims(sentence: str) -> None:
    assert claim_kind(sentence) is None


def test_clean_removes_markdown_addresses_and_blanked_link_targets() -> None:
    assert clean(r"See **[side effects](side-effects.md)** {: .note } or help\@clinic.example.") == "See side effects or"
    # the lint passes masked text, where link targets are blanked to spaces
    assert clean("Read the [side effects](        ) page.") == "Read the side effects page."


def test_figures_and_summary_support() -> None:
    assert figures("About 1 in 20 people, or half of them, over ten weeks") == {"1", "20", "1/2", "10"}
    body = [claims.features("Of these, 393 said they had excessive sweating. That is about 5 in 100 people, or 1 in 20.")]
    assert summary_supported("About 1 in 20 people said they had excessive sweating.", body)
    assert not summary_supported("About 1 in 10 people said they had excessive sweating.", body)  # figure
    assert not summary_supported("Tablets have more side effects than surgery.", body)  # words


def test_cue_keys_never_skip_a_match() -> None:
    """A cue's pattern is tried only if the sentence has one of its keys: no match may be lost."""
    for row in rows():
        scan = claims._scanned(clean(row[5]).lower())
        present = claims._token_keys(scan)
        for kind, _strong, keys, pattern in claims._CUES:
            assert not (pattern.search(scan) and keys.isdisjoint(present)), (kind, row[5])


def test_labelled_set_is_well_formed() -> None:
    data = rows()
    assert len(data) >= 300
    assert len({r[5] for r in data}) == len(data), "a sentence is in the set twice"
    assert all(len(r) == 6 and r[1] in ("dev", "held-out") and r[2] in ("claim", "none") for r in data)
    assert all((r[2] == "claim") == (r[3] in KINDS) for r in data)
    assert set(KINDS) == {r[3] for r in data if r[2] == "claim"}
    assert {r[4].split(":")[0] for r in data} == {"guide", "leaflet", "editor"}
    held_out = sum(1 for r in data if r[1] == "held-out") / len(data)
    assert 0.25 <= held_out <= 0.35


@pytest.mark.parametrize("split", ["held-out", "all"])
def test_goal_on_labelled_set(split: str) -> None:
    """The issue's goal: recall >= 0.95 on claims, precision >= 0.90 (a quality gate)."""
    data = [r for r in rows() if split == "all" or r[1] == split]
    outcome = Counter((r[2] == "claim", claim_kind(r[5]) is not None) for r in data)
    tp, fp, fn = outcome[True, True], outcome[False, True], outcome[True, False]
    recall, precision = tp / (tp + fn), tp / (tp + fp)
    assert recall >= GOAL_RECALL and precision >= GOAL_PRECISION, (split, recall, precision)


def test_eval_script_reports_both_detectors() -> None:
    script = DATA.parent.parent.parent / "scripts" / "claims-eval"
    new = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    old = subprocess.run([sys.executable, str(script), "--baseline"], capture_output=True, text=True)
    assert new.returncode == 0 and "goal (recall >= 0.95, precision >= 0.9 on held-out and all): met" in new.stdout
    assert old.returncode == 1 and "NOT met" in old.stdout and "old regex (baseline)" in old.stdout
    # held-out errors are listed only on request
    held_out = new.stdout.split("== held-out")[1].split("== all")[0]
    assert "  s0" not in held_out and "  s0" in new.stdout.split("== held-out")[0]
