"""Plain-language and evidence lints: each rule's exact message, and the ways to silence it."""

from __future__ import annotations

import pytest

from conftest import page


def lint_lines(site) -> list[str]:
    return [x for x in site.check().stdout.splitlines() if "[style." in x or "[evidence." in x]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
            "seventeen eighteen nineteen twenty twenty-one twenty-two twenty-three twenty-four twenty-five "
            "twenty-six [@karakoc2002safe].\n",
            ["content/a.md:14:1: warning: sentence has 26 words (more than 25) (split it in two) [style.long-sentence]"],
            id="long-sentence"),
        pytest.param(
            "You can utilise the machine at home [@karakoc2002safe].\n",
            ["content/a.md:14:9: warning: 'utilise' has a plainer alternative (try 'use') [style.plain-word]"],
            id="plain-word"),
        pytest.param(
            "It reduces sweating in 8 of 10 people. It is easy.\n\nMore here [@karakoc2002safe].\n",
            ["content/a.md:14:1: warning: sentence states an effect without a citation: "
             "'It reduces sweating in 8 of 10 people.' (cite a source, or add <!-- no-cite --> after it if it "
             "needs none) [evidence.uncited-claim]"],
            id="uncited-claim"),
        pytest.param(
            "It reduces sweating in 8 of 10 people. <!-- no-cite --> Fine [@karakoc2002safe].\n", [],
            id="no-cite-marker"),
        pytest.param(
            "In one study, 112 people had 8 sessions. Sweating was controlled in 81% [@karakoc2002safe].\n", [],
            id="citation-at-end-of-passage-covers-it"),
        pytest.param(
            "The study found these effects [@karakoc2002safe]:\n\n- tingling: 88 out of 100\n- pain: 26 out of 100\n", [],
            id="cited-lead-in-covers-its-list"),
        pytest.param(
            "Nothing cited here at all.\n",
            ["content/a.md:1:1: warning: page cites no sources (cite the sources of its facts, or set "
             "'evidence_exempt: <reason>' for a page without facts) [evidence.no-citations]"],
            id="no-citations"),
        pytest.param("Code `it reduces 50% of risk` and\n\n    risk 50%\n\nis ignored [@karakoc2002safe].\n", [],
                     id="code-is-not-prose"),
    ],
)
def test_lint(site_factory, body: str, expected: list[str]) -> None:
    site = site_factory({"content/a.md": page("A", "# A\n\n" + body),
                         "content/index.md": page("Home", "# Home\n\nSee [@bad2021leaflet].\n")})
    assert lint_lines(site) == expected


def test_evidence_exempt_page(site_factory) -> None:
    text = page("Privacy", "# Privacy\n\nWe set 0 cookies and keep your data safe.\n").replace(
        "status: draft", "status: draft\nevidence_exempt: describes the website")
    site = site_factory({"content/privacy.md": text})
    assert lint_lines(site) == []


def test_plain_words_and_sentence_length_are_configurable(site_factory) -> None:
    body = "# A\n\nYou can utilise it and obtain results at home with these machines today [@karakoc2002safe].\n"
    site = site_factory({"content/a.md": page("A", body)},
                        options="max_sentence_words: 8\nplain_words:\n  utilise: ''\n  machines: devices")
    lines = lint_lines(site)
    assert any("sentence has 13 words (more than 8)" in x for x in lines)
    assert not any("'utilise'" in x for x in lines)
    assert any("'obtain' has a plainer alternative (try 'get')" in x for x in lines)
    assert any("'machines' has a plainer alternative (try 'devices')" in x for x in lines)


def test_lint_severity_can_be_raised(site_factory) -> None:
    site = site_factory({"content/a.md": page("A", "# A\n\nYou can utilise it [@karakoc2002safe].\n")},
                        options="severity:\n  style.plain-word: error")
    r = site.check()
    assert r.returncode == 1 and "error: 'utilise' has a plainer alternative" in r.stdout


def test_glossary_term_first_use_must_be_linked(site_factory) -> None:
    glossary = page("Glossary", "# Glossary\n\n## Sweat gland\n\nA tiny gland in the skin [@bad2021leaflet].\n")
    body = ("# A\n\nYour sweat glands make sweat [@karakoc2002safe]. Each sweat gland is small "
            "[@karakoc2002safe].\n")
    linked = body.replace("Your sweat glands", "Your [sweat glands](glossary.md#sweat-gland)", 1)
    site = site_factory({"content/glossary.md": glossary, "content/a.md": page("A", body)})
    assert lint_lines(site) == ["content/a.md:14:6: warning: 'sweat glands' is in the glossary but its first use "
                                "here is not linked (link it: [sweat glands](glossary.md#sweat-gland)) "
                                "[style.glossary-term]"]
    site.write("content/a.md", page("A", linked))
    assert lint_lines(site) == []


CITED = "\n\nFine [@karakoc2002safe].\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("The usual strength is 15 to 20 mA [@karakoc2002safe]. That is a small current.\n",
                     ["content/a.md:14:55: warning: sentence states a figure without a citation: "
                      "'That is a small current.'"], id="size-judgement"),
        pytest.param("Night sweats can be a sign of cancer." + CITED,
                     ["content/a.md:14:1: warning: sentence states a cause without a citation: "
                      "'Night sweats can be a sign of cancer.'"], id="cause-without-figure"),
        pytest.param("Stop if it hurts [@karakoc2002safe].\n\n!!! danger \"Stop\"\n    Call your local emergency number "
                     "if the symptoms do not settle quickly.\n",
                     ["content/a.md:17:5: warning: sentence gives safety advice without a citation: "
                      "'Call your local emergency number if the symptoms d'"], id="emergency-advice-in-admonition"),
        pytest.param("Some clinics add it to the water [@karakoc2002safe]. Use it only if a doctor prescribes it. "
                     "Tell your doctor if you get a dry mouth.\n",
                     ["content/a.md:14:54: warning: sentence gives safety advice without a citation: "
                      "'Use it only if a doctor prescribes it.'",
                      "content/a.md:14:93: warning: sentence gives safety advice without a citation: "
                      "'Tell your doctor if you get a dry mouth.'"], id="advice-after-the-citation"),
        pytest.param("It helps most people [@karakoc2002safe].\n{: .note }\n\n"
                     "Write to us at help\\@clinic.example any day.\n{: #step-2 .note }\n", [],
                     id="attribute-lists-and-escaped-at-are-not-claims"),
        pytest.param("Read more on the [What to expect](what-to-expect.md) page, which says how many weeks it takes. "
                     "Ask your nurse how many minutes a session lasts." + CITED, [], id="navigation-and-ask-your-clinic"),
    ],
)
def test_uncited_claim_kinds(site_factory, body: str, expected: list[str]) -> None:
    site = site_factory({"content/a.md": page("A", "# A\n\n" + body),
                         "content/index.md": page("Home", "# Home\n\nSee [@bad2021leaflet].\n")})
    assert [x.split(" (cite a source")[0] for x in lint_lines(site)] == expected


SUMMARY_BODY = "# A\n\nIn one US survey, about 1 in 20 people said they had heavy sweating [@karakoc2002safe].\n"


def summary_warning(line: int, kind: str, point: str) -> str:
    return (f"content/a.md:{line}:5: warning: summary point {kind} that no cited sentence of the page says: "
            f"'{point}' (say it with its citation in the page, or add '# no-cite' after the point) "
            "[evidence.uncited-claim]")


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        pytest.param("  - About 1 in 20 people in one survey said they had heavy sweating.\n"
                     "  - About 1 in 10 people have heavy sweating.",
                     [summary_warning(6, "states a figure", "About 1 in 10 people have heavy sweating.")],
                     id="figure-in-the-body-or-not"),
        pytest.param("  - Heavy sweating is common.\n  - Tablets can cause a dry mouth.",
                     [summary_warning(6, "states a risk", "Tablets can cause a dry mouth.")],
                     id="words-in-the-body-or-not"),
        pytest.param("  - Tablets can cause a dry mouth.  # no-cite\n  - Tablets can cause blurred sight.",
                     [summary_warning(6, "states a risk", "Tablets can cause blurred sight.")], id="no-cite-comment"),
        pytest.param("  - This page explains the medical words.\n  - Tablets can cause blurred sight.",
                     [summary_warning(6, "states a risk", "Tablets can cause blurred sight.")], id="not-a-claim"),
    ],
)
def test_summary_points_are_checked(site_factory, points: str, expected: list[str]) -> None:
    text = page("A", SUMMARY_BODY).replace("  - A key point.", points)
    site = site_factory({"content/a.md": text, "content/index.md": page("Home", "# Home\n\nSee [@bad2021leaflet].\n")})
    assert lint_lines(site) == expected


def test_summary_of_an_evidence_exempt_page_is_not_checked(site_factory) -> None:
    text = page("A", SUMMARY_BODY).replace("  - A key point.", "  - Tablets can cause a dry mouth.")
    site = site_factory({"content/a.md": text, "content/index.md": page("Home", "# Home\n\nSee [@bad2021leaflet].\n")})
    assert lint_lines(site) == [summary_warning(5, "states a risk", "Tablets can cause a dry mouth.")]
    site.write("content/a.md", text.replace("status: draft", "status: draft\nevidence_exempt: describes the website"))
    assert lint_lines(site) == []
