"""Which kind of claim a sentence makes, if any: the core of the ``evidence.uncited-claim`` lint.

:func:`claim_kind` is a pure function of one sentence (Markdown as an editor writes it, with
citations removed). It returns one of :data:`KINDS`, or ``None`` for a sentence that needs no
source. It uses rules and small word lists, no model and no network, so it runs on every page
of every build (about 0.2 ms of CPU a sentence on a busy machine; scripts/claims-eval --time).

How it decides, in order:

1. Clean the Markdown: attribute lists (``{: .note }``), HTML comments, link targets, e-mail
   addresses and handles (``help\\@clinic.example``), web addresses and phone numbers go.
2. Not prose at all: empty, a question, a heading-like line, a front-matter field.
3. Needs no source by its kind: navigation ("Read more on …", "[Page](x.md): what it covers"),
   what the site or its authors do ("We …", "This page …"), instructions to ask your clinic or
   what your nurse will do (unless they name a symptom or a condition, or propose seeing the
   clinic less often).
4. Claim cues, each of one kind. *Strong* cues — a figure, how often, a prohibition or a
   restriction, a contraindication, emergency advice, how safe, a reported source ("NHS leaflets
   say …") — count everywhere. *Weak* cues — an effect, a cause, a symptom, how long, who it
   suits, the research — do not count in plain definitions, in noun-phrase fragments (glossary
   entries, headings) or in plain steps of the procedure ("Turn it up until you feel a tingle.").
5. The kind is the first in :data:`KINDS` whose cue matched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

KINDS: tuple[str, ...] = ("contraindication", "safety", "risk", "cause", "evidence", "effect",
                          "duration", "frequency", "number", "indication")

# how the lint says each kind: "sentence <phrase> without a citation"
PHRASES: dict[str, str] = {
    "contraindication": "says who must not use it", "safety": "gives safety advice", "risk": "states a risk",
    "cause": "states a cause", "evidence": "says what the research shows", "effect": "states an effect",
    "duration": "says how long something lasts", "frequency": "says how often or how common",
    "number": "states a figure", "indication": "says who or what it is for",
}


def _rx(pattern: str) -> re.Pattern[str]:
    """A pattern for lower-cased text (matching without re.IGNORECASE is five times faster)."""
    return re.compile(pattern)


# --- 1. cleaning ---------------------------------------------------------------------------

# (a character the pattern needs, or "" for always; pattern; replacement)
_CLEAN: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("<!--", re.compile(r"<!--.*?(?:-->|$)"), " "),
    ("{", re.compile(r"\{:?\s*[#.:][^{}]*\}|\{:[^{}]*\}"), " "),  # attribute lists
    ("![", re.compile(r"!\[[^\]]*\]\([^)]*\)"), " "),  # images
    ("[@", re.compile(r"\[@[^\]]*\]"), " "),  # a citation left in
    ("](", re.compile(r"\[([^\[\]]*)\]\(\s*(?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\s*\)"), r"\1"),  # link → text
    ("][", re.compile(r"\[([^\[\]]*)\]\[[^\]]*\]"), r"\1"),  # reference link
    ("`", re.compile(r"`[^`]*`"), " "),
    ("@", re.compile(r"\S*\\@\S*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), " "),  # escaped @, e-mail
    ("", re.compile(r"\b(?:https?://|www\.|mailto:)\S+", re.I), " "),
    ("", re.compile(r"\+?\(?\d[\d()]*(?:[ -]\d[\d()]*){2,}(?=\s*(?:[.,;:)]|$|\s[a-z]))"), " "),  # phone numbers
    ("", re.compile(r"\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)"), ""),  # emphasis
    ("", re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+|^\s*>\s*|^\s*#+\s*"), ""),  # list marker, quote, heading
)
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def clean(sentence: str) -> str:
    """The sentence's words, without Markdown syntax, addresses or phone numbers."""
    text = sentence.translate(_QUOTES)
    for needs, pattern, repl in _CLEAN:
        if needs in text:
            text = pattern.sub(repl, text)
    return " ".join(text.split())


# --- 2. not prose --------------------------------------------------------------------------

_FRONT_MATTER = _rx(r"^[a-z][a-z0-9]*_[a-z0-9_]*:\s|^(?:title|description|status|audience|summary|tags|"
                    r"template|lang):\s|^[a-z_]+:\s*\d{4}-\d\d-\d\d\s*$")


def _not_prose(text: str) -> bool:
    words = text.split()
    if not re.search(r"[A-Za-z]", text) or text.endswith("?") or _FRONT_MATTER.match(text):
        return True
    # a heading-like line: a few words, capitalised, no full stop, no figure, no colon
    return (len(words) <= 6 and text[0].isupper() and text[-1] not in ".!:;)"
            and not re.search(r"\d|:", text))


# --- 3. sentences that need no source by what they are --------------------------------------

_NAVIGATION = _rx(r"^(?:(?:please |to learn more, |for more(?: information)?, |you can (?:also )?)?(?:read|see|go to|"
                  r"learn|find out|"
                  r"visit|look at|more (?:on|about)|next|previous|back to)\b.*\b(?:page|pages|section|glossary|"
                  r"above|below|leaflet|guide|for details|for more)\b|(?:next|previous|back to the top)\b)")
_SITE_START = _rx(r"^(?:(?:so|and|but|also|then)\s+)?(?:we|our|us)\b|^(?:if|when|as|where)\b[^.]*?,\s*we\b")
_SITE_KEYS = ("guide", "site", "page", "section", "leaflet", "information", "draft", "cookie", "browser", "screen",
              "keyboard", "zoom", "font", "button", "advert", "server", "tracking", "pop-up", "handout", "text size",
              "photo", "picture", "figure", "table", "web content")
_SITE_WORDS = _rx(r"\b(?:this|the) (?:guide|site|website|page|section|leaflet)\b|\bthis information\b|\bthese pages\b|"
                  r"\b(?:each|every) page\b|^pages\b|\bdraft\b|\b(?:cookies?|browser|screen readers?|keyboard|zoom|"
                  r"fonts?|buttons?|adverts|server|tracking|pop-up|handout|text size|photo|picture|figure \d|table \d|"
                  r"web content)\b")


def _about_site(low: str) -> bool:
    """'We …', 'This page …', cookies and screen readers: what the site and its authors do."""
    return bool(_SITE_START.search(low)) or (any(k in low for k in _SITE_KEYS) and bool(_SITE_WORDS.search(low)))


def _is_navigation(sentence: str, low: str) -> bool:
    """'See [Other treatments](…).', '[Side effects](…): what can go wrong', 'Read more on …'.
    ``sentence`` is lower-cased Markdown, ``low`` the lower-cased clean text."""
    if re.match(r"^\s*(?:[-*+]\s+)?\*{0,2}\[[^\]]+\]\([^)]*\)\*{0,2}\s*(?::|-|–|—|has\b|lists\b|explains\b|shows\b|"
                r"covers\b|tells\b|gives\b|$)", sentence):
        return True
    if re.search(r"^(?:[^.]*,\s*)?(?:see|read|learn|more (?:on|about))\b[^.\[]{0,30}\[", sentence) \
            and not re.match(r"\s*see (?:a|your) ", sentence):
        return True
    return bool(_NAVIGATION.search(low))


_SYMPTOM = (r"blister\w*|burns?|burning|pain\w*|hurts?|sore\w*|red|redness|cracked|rash\w*|itch\w*|dry mouth|"
            r"blurred|urine|urinat\w*|dizz\w*|faint\w*|chest|heart\w*|racing|light-headed\w*|sick|chills|temperature|"
            r"fever\w*|weight|shiver\w*|breath\w*|swell\w*|bleed\w*|numb\w*|inflamed|broken|symptoms?|sweat\w*|"
            r"drowsy|eczema|unwell")
_CONDITION = (r"pregnan\w*|breast-?feed\w*|pacemakers?|defibrillators?|icds?|implant\w*|epilep\w*|heart|coil|ius|iud|"
              r"tumou?rs?|cancer|thrombosis|clots?|glaucoma|prostate|neuropathy|nerve problem|seizures?|brace|"
              r"children|child|under (?:age )?(?:\d+|five|six)|over \d+|any of these|"
              r"metal (?:pins?|plates?|hips?|rods?|screws?)")
_CARE_TARGET = (r"(?:a|your|the|your own)\s+(?:doctor|gp|nurse|pharmacist|dermatologist|specialist|clinic|hospital|"
                r"skin doctor|heart specialist|team)s?")
_CARE = _rx(r"^(?:please\s+|also\s+)?(?:ask|tell|talk|speak|check with|discuss)\b|"
            r"(?:^|[,;]\s*|\b(?:and|or|then|also|please|should|must|to|first|soon|now)\s+)(?:see|ask|tell|talk to|"
            r"talk with|speak to|contact|call|ring|phone|check with)\s+" + _CARE_TARGET +
            r"|\bmake an appointment\b|\bget advice\b")
_STAFF = _rx(r"^(?:then\s+)?(?:your|a|an|the)\s+(?:own\s+)?(?:doctor|gp|nurse|pharmacist|dermatologist|specialist|"
             r"skin specialist|clinic)s?\s+(?:will|can|may|might|should|could|shows?|explains?|tells?)\b")
_INFO_ASK = _rx(r"\b(?:ask|tell|talk|speak|discuss|check)\b[^.]*?\b(?:what|how|which|whether|about|when)\b")
_CHANGE = _rx(r"\b(?:less|more) often\b|\bfewer sessions\b|\bshorter sessions\b|\bstop\b")
_TRIGGER = _rx(r"\b(?:if|when)\b[^.]*\b(?:" + _SYMPTOM + r"|" + _CONDITION + r")\b")
_CONDITION_RX = _rx(r"\b(?:" + _CONDITION + r")\b")
_SYMPTOM_RX = _rx(r"\b(?:" + _SYMPTOM + r")\b")
_URGENT = _rx(r"\b(?:straight away|immediately|at once|urgent\w*|emergency|a&e|999|911|112|111)\b")


_CARE_KEYS = ("ask", "tell", "talk", "speak", "check", "discuss", "see", "contact", "call", "ring", "phone",
              "appointment", "advice")


def _care_kind(text: str) -> str | None:
    """For an instruction to see, ask or tell your clinic (or what the clinic will do): the kind of
    claim it makes, or "" for none. ``None`` when the sentence is not such an instruction."""
    if _STAFF.search(text):
        return ""
    if not any(k in text for k in _CARE_KEYS) or not _CARE.search(text):
        return None
    if _CHANGE.search(text):
        return "frequency" if "often" in text or "sessions" in text else "safety"
    if _INFO_ASK.search(text):
        return ""
    if _TRIGGER.search(text):
        return "contraindication" if _CONDITION_RX.search(text) and not _SYMPTOM_RX.search(
            text.split(" if ", 1)[-1]) else "safety"
    return "safety" if _URGENT.search(text) else ""


# --- 4. claim cues -------------------------------------------------------------------------

_NUMBER_WORDS = (r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
                 r"hundred|thousand|million|half|halves|halfway|third|thirds|quarter|quarters|dozen|double|triple")
_COUNTED = r"types|kinds|forms|parts|ways|cables|wires|trays|buttons|leads|towels|photos|pictures|steps|sides"
_POPULATION = (r"people|patients|children|adults|women|men|teenagers|clinics|doctors|machines|studies|trials|plans|"
               r"cases|users|skin doctors|experts|nhs clinics|of them|of these|of those|are|were|had|have|felt|feel|"
               r"find|found|get|got|say|said|need|buy|bought|start|do|did")
_TIME_UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)"



_TOKEN = re.compile(r"[a-z0-9'-]+|[%£$€]")


def _token_keys(scan: str) -> frozenset[str]:
    """The first three letters of each word of ``scan`` ("0" for any figure), to test cue keys."""
    keys = {t[:3] for t in _TOKEN.findall(scan)}
    if any(c.isdigit() for c in scan):
        keys.add("0")
    return frozenset(keys)


Cue = tuple[str, bool, frozenset[str], re.Pattern[str]]


def _cue(kind: str, strong: bool, keys: str, *alternatives: str) -> Cue:
    """A cue of ``kind``: its pattern is ``alternatives`` joined with '|', tried only if the
    sentence has a word beginning like one of ``keys`` (space-separated; the first three letters
    count, "0" stands for any figure). Every match of the pattern must contain such a word."""
    return kind, strong, frozenset(k[:3] for k in keys.split()), _rx("|".join(alternatives))


_SYMPTOM_WORDS = r"\b(?:" + _SYMPTOM + r")\b"
_CONDITION_WORDS = r"\b(?:" + _CONDITION + r")\b"

# Strong cues count everywhere, weak ones not in definitions, fragments or plain steps.
# tests/unit/test_claims.py checks on the labelled set that the keys never skip a match.
_CUES: tuple[Cue, ...] = (
    _cue("number", True, "0 two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
                         "fifty hundred thousand million half halves third quarter dozen double triple one percent "
                         "per % £ $ €",
         r"\d",
         r"\b(?:" + _NUMBER_WORDS + r")\b(?! (?:main )?(?:" + _COUNTED + r")\b)",
         r"\bone (?:in|out of)\b", r"\bpercent\b", r"\bper cent\b", r"%", r"[£$€]"),
    _cue("frequency", True, "usual often rare seldom sometimes occasional common uncommon frequent typical general "
                            "most main hardly regular daily weekly monthly tend likely standard top-up relapse many "
                            "some few several all majority once twice times every day week month night per number "
                            "proportion percentage minority of",
         r"\b(?:usually|usual|often|rarely|rare|seldom|sometimes|occasionally|commonly|common|uncommon|frequent\w*|"
         r"typically|generally|mostly|mainly|hardly|regular(?:ly)?|daily|weekly|monthly|tends? to|tended to|likely|"
         r"standard|top-ups?|relapse\w*)\b",
         r"\b(?:most|many|some|few|several|nearly all|almost all|hardly any(?:one)?|the majority of)\s+"
         r"(?:" + _POPULATION + r")\b",
         r"\b(?:once|twice|\w+ times)\s+(?:a|per|each|every)\s+\w+",
         r"\b(?:every|a|per)\s+(?:day|week|month|night)\b",
         r"\b(?:less|more) often\b",
         r"\b(?:a )?(?:small|large|tiny|high|low) (?:number|proportion|percentage|minority|majority) of\b",
         r"\bof (?:every|all|any) (?:\w+ )?(?:ages?|races?|colou?rs?|sex(?:es)?|backgrounds?)\b"),
    _cue("safety", True, "do don't never avoid try add use must should only keep unless it stop emergency urgent "
                         "seek call",
         r"^(?:please\s+|then\s+)?(?:do not|don't|never|avoid|try not to|add nothing|use nothing)\b",
         r"(?:,|\band|\bso|\bthen|\bbut)\s+(?:do not|don't|never)\b",
         r"\b(?:you|they|children|people|anyone|women|adults|patients)\s+(?:must|should)\s+(?:not|never|always|only)\b",
         r"\b(?:must|should)\s+(?:not|never|only) (?:be|use|have|take|pass|touch|get|go)\b",
         r"\bmust\b", r"\bonly (?:if|when|with|after|under|use)\b", r"\b(?:indoors|outdoors) only\b",
         r"\bkeep (?:\w+ ){0,3}away from\b", r"\bunless\b", r"\bit is (?:best|safer|better) (?:to|not)\b",
         r"\bstop\b[^.]*\b(?:if|when)\b",
         r"\bstop (?:straight away|immediately|at once|the treatment|treatment|using|taking)\b", r"^stop\b",
         r"\b(?:emergency|urgent) (?:help|care|advice)\b", r"\bseek (?:urgent|medical|immediate)\b",
         r"\bcall (?:999|911|112|111)\b[^.]*\b(?:if|when)\b"),
    # "if you get <symptom>, stop": a conditional instruction
    _cue("safety", True, "if when",
         r"\b(?:if|when)\b[^.]*" + _SYMPTOM_WORDS + r"[^.]*,\s*(?:stop|turn|switch|call|see|get|seek|go|take)\b",
         r"^(?:stop|turn|switch|call|seek|get)\b[^.]*\b(?:if|when)\b[^.]*" + _SYMPTOM_WORDS),
    _cue("contraindication", True, "not never cannot can't avoid unsuitable approval reason you",
         r"\b(?:do not|don't|never|must not|should not|cannot|can't|not be used|not (?:be )?given|not suitable|"
         r"unsuitable|not used|not to use|not to have|avoid|reasons? not to)\b[^.]*" + _CONDITION_WORDS,
         r"\bcannot (?:have|be treated|be given)\b", r"\b(?:should|must) not have\b",
         r"\bnot (?:right|safe) for everyone\b", r"\bapproval\b", r"\breasons? (?:not to|to wait)\b",
         r"\ba reason to wait\b", r"^(?:if\s+)?you\s+(?:become|get|develop)\b[^.]*" + _CONDITION_WORDS),
    _cue("risk", True, "risk danger harm hazard safe unsafe side adverse toxic painless",
         r"\b(?:risks?|danger\w*|harm\w*|hazard\w*|unsafe|safe|safely|safety|side[- ]effects?|adverse|toxic|"
         r"painless)\b"),
    # "One maker says …": what a source says (the kind "evidence" when nothing else is claimed)
    _cue("source", True, "say said list warn advis suggest recommend think judged found describ",
         r"\b(?:maker|makers|clinic|clinics|leaflets?|guidelines?|experts?|doctors|dermatologists|review|study|"
         r"studies|nhs|authors?|association|manual|group of [\w ]+doctors)\b[^.]*?\b(?:says?|said|lists?|listed|"
         r"warns?|warned|advises?|advised|suggests?|suggested|recommends?|recommended|thinks?|judged|found|"
         r"describes?)\b"),
    _cue("effect", True, "so fairest safest most",
         r"\bso (?:that )?[^.]*\b(?:less|better|drier)\b", r"\b(?:fairest|safest|most effective)\b"),
    _cue("duration", True, "second minute hour day week month year overnight for while short permanent temporar",
         r"\b(?:for|within|after|over|in|about|up to|at least|takes?)\s+(?:about\s+|around\s+)?"
         r"(?:a|an|\d+|one|two|three|four|five|six|several|a few|many|some)\s+(?:more\s+)?" + _TIME_UNIT + r"\b",
         r"\b(?:overnight|for good|for a while|short time|permanent\w*|temporar\w*)\b"),
    _cue("indication", True, "choice step option first-line",
         r"\b(?:first|second|next|newer|another|one|common next) (?:choice|step|option)\b", r"\bfirst-line\b"),
    # a judgement of size said of something: "That is a small current."
    _cue("number", False, "small weak low large high big tiny strong little cost",
         r"\b(?:is|are|was|were)\s+(?:a |an )?(?:very |quite |fairly |rather |too |only )?"
         r"(?:small|weak|low|large|high|big|tiny|strong|little)\b",
         r"\bcosts? (?:less|more|about|around|at least|up to|from)\b"),
    _cue("risk", False, "burn blister shock bruis pain hurt sore itch rash irritat tingl sting discomfort comfortable "
                        "uncomfortable unpleasant allerg damage injur infection complication overheat drowsy dizz "
                        "blurred dry dark numbness swelling redness red wrong gentl bear harmless touch should feel "
                        "pins memory into unwell happen",
         r"\b(?:burns?|burning|blister\w*|shocks?|bruis\w*|pain\w*|hurts?|hurting|sore\w*|itch\w*|rash\w*|"
         r"irritat\w*|tingl\w*|stings?|stinging|discomfort|uncomfortable|comfortable|unpleasant|allerg\w*|damage\w*|"
         r"injur\w*|infection|complications?|overheat\w*|drowsy|dizz\w*|blurred|dry mouth|dark spots|numbness|"
         r"swelling|redness|red skin|go(?:es)? wrong|gentler|gentle|bear the feeling|easier to bear|harmless|"
         r"touch(?:es)? (?:your|the) skin|should (?:not )?(?:feel|be|make you)|"
         r"feels? (?:the current |it )?(?:much )?(?:more|less)|pins and needles|memory problems|"
         r"(?:gets?|got) into the (?:rest of your )?body|unwell|(?:can|may) happen|(?:may|might|can|will) feel)\b"),
    _cue("cause", False, "caus because due lead led result trigger set sets worse sign symptom linked associated famil "
                         "inherit genetic hereditary catch why reason point controlled needs germs bacteria more",
         r"\b(?:caus\w*|because|due to|leads? to|led to|result(?:s|ed)? in|trigger\w*|sets? off|worsen\w*|signs? of|"
         r"symptom of|linked (?:to|with)|associated with|runs? in (?:the )?famil\w*|inherit\w*|genetic|hereditary|"
         r"catch it|is why|are why|the reasons?|reason is|point to|controlled by|needs the|germs|bacteria|"
         r"makes? (?:\w+ ){0,3}worse|more likely)\b"),
    _cue("evidence", False, "stud trial review research survey evidence report author expert scientist know unknown "
                            "tested proven proved experience sure certain sham placebo comparison control compare "
                            "chance different possible thought believed unclear not",
         r"\b(?:stud(?:y|ies)|trials?|reviews?|research|surveys?|evidence|reports?|authors?|experts?|scientists?)\b"
         r"[^.]*\b(?:found|showed|suggest\w*|judged|think|say|advis\w*|describes?|compared|looked|followed|asked|"
         r"report\w*|tested|include\w*|did not|does not|have used|gives?|comes? from|small|weak|flaw\w*|poor\w*|"
         r"quality|bias\w*)\b",
         r"\b(?:no one|nobody) knows?\b", r"\bnot known\b", r"\bunknown\b",
         r"\bnot (?:yet )?(?:been )?(?:tested|proven|proved)\b", r"\bnone is proven\b", r"\bunproven\b",
         r"\blittle research\b", r"\bno (?:studies|research|evidence|experience)\b", r"\b(?:few|small) studies\b",
         r"\bcannot be sure\b", r"\bnot certain\b", r"\bno (?:one had a )?(?:sham|placebo|comparison|control)\b",
         r"\bto compare with\b", r"\b(?:comparison|control) group\b", r"\bby chance\b",
         r"\b(?:use|used|have used) different\b",
         r"\b(?:it is|is) (?:possible|thought|believed|unclear|not clear) that\b"),
    _cue("effect", False, "reduc cut lower decreas improv help benefit work effective efficacy effect better worse "
                          "control relie ease eased cure prevent stop block drier dries dried dry var sweat fell fall "
                          "drop difference fix protect worth upset slow harder easier value plug change affect treats "
                          "much crept too expect more",
         r"\b(?:reduc\w*|cuts? (?:down|sweat\w*|the|it|your|by)|cutting (?:down|back)|lower(?:s|ed|ing)?|"
         r"decreas\w*|improv\w*|helps?|helped|helping|benefit\w*|works?|worked|working|effective\w*|efficacy|"
         r"no effect|better|worse|control(?:s|led)?|relie\w*|eases?|eased|cures?|cured|prevent\w*|stops?|block\w*|"
         r"drier|dries|dried|(?:keeps?|stays?|stayed|makes?|get|gets) (?:\w+ )?dry|var(?:y|ies|ied)|"
         r"sweat(?:ing)? (?:more|less)|fell|falls?|dropped|drops?|no difference|fix(?:es)?|protect\w*|worth|upset|"
         r"slow\w* (?:\w+ )?down|harder|easier|value for money|plug\w*|change how|affect(?:s|ed)?|treats|"
         r"much (?:lower|higher|less|more)|crept|too weak|expect (?:much|a big) change|more current is not needed)\b"),
    _cue("duration", False, "last take long short wear wore worn fade come came crept back settle quickly away did "
                            "for second minute hour day week month year",
         r"\b(?:lasts?|lasted|lasting|long[- ]term|short[- ]term|short[- ]lived|wears? off|wore off|worn off|fades?|"
         r"faded|comes? back|came back|crept back|back up|settle|settles|settled|quickly|go(?:es)? away|did not fade|"
         r"takes? about|for months)\b",
         r"(?<!\ba )(?<!\bper )(?<!\beach )(?<!\bevery )\b" + _TIME_UNIT + r"\b"),
    _cue("indication", False, "be used suit unsuitable is only can could may children adults teenagers anyone people "
                              "you benefit cleared licensed meant think advis treats worth expert suggests needs "
                              "prescription mostly mainly usually often also less more widely",
         r"\b(?:can|could|may) (?:also )?be (?:used|done|given|tried|treated)\b",
         r"\b(?:mostly|mainly|usually|often|only|also|less|more|widely)\s+used\b",
         r"\bused (?:off-label|along with)\b", r"\bsuit(?:s|ed|able)?\b", r"\bunsuitable\b",
         r"\bis for (?:people|children|adults|anyone|severe)\b", r"\bonly for\b",
         r"\b(?:children|adults|teenagers|anyone|people|you) (?:can|could|may) (?:use|have|benefit)\b",
         r"\bcan (?:use|have) it\b", r"\bbenefit\b", r"\bcleared for\b", r"\blicensed\b", r"\bmeant for\b",
         r"\bthink of (?:it|iontophoresis)\b", r"\badvis\w+ (?:it|trying)\b", r"\btreats (?:children|adults|people)\b",
         r"\bworth trying\b", r"\bexpert advice\b", r"\bsuggests a\b", r"\bneeds a prescription\b",
         r"\bcan carry it on\b"),
)


# --- where weak cues do not count ----------------------------------------------------------

_PRONOUNS = frozenset([
    "it", "this", "that", "these", "those", "they", "there", "he", "she", "which", "what", "who", "you", "we",
])
_DEFINES = _rx(r"^(?:[\w'\"-]+\s+){0,4}?(?:means?|is (?:also |often |sometimes )?(?:called|known as)|"
               r"are (?:also )?called|is short for|stands for|refers to|"
               r"is the (?:medical |scientific |usual )?(?:name|word|term) for)\b")
_IS_A = re.compile(r"^(?:(?:An?|The)\s+)?([\w-]+(?:\s+[\w-]+){0,2})\s+(?:is|are)\s+(?:a|an|one of|the name)\b|"
                   r"^([A-Z][\w-]+)\s+is\s+[^.,]*\b(?:that|which|who)\b")
_AUXILIARIES = frozenset([
    "is", "are", "was", "were", "be", "been", "am", "has", "have", "had", "can", "could", "may", "might", "will",
    "would", "shall", "should", "must", "does", "do", "did", "doesn't", "don't", "didn't", "isn't", "aren't",
    "wasn't", "weren't", "won't", "can't", "cannot",
])
# common verbs of patient leaflets, base forms; their -s, -ed and irregular past forms are verbs too
_VERBS = [
    "get", "give", "make", "cause", "come", "go", "take", "keep", "feel", "find", "show", "say", "seem", "tend",
    "last", "help", "work", "mean", "need", "use", "send", "pass", "flow", "affect", "reduce", "stop", "block",
    "run", "start", "stay", "let", "sit", "carry", "fall", "rise", "creep", "become", "happen", "contain",
    "include", "fade", "settle", "hurt", "cut", "lower", "improve", "trigger", "treat", "prevent", "relieve",
    "ease", "protect", "control", "fix", "sting", "irritate", "suit", "benefit", "plug", "slow", "upset", "lead",
    "result", "point", "drip", "soak", "list", "warn", "advise", "suggest", "recommend", "think", "describe",
    "cover", "explain", "change", "spread", "buy", "bring", "tell", "sell", "leave", "begin", "grow", "know", "see",
    "read", "vary", "differ", "appear", "develop", "heal", "depend", "matter", "occur", "beat", "sweat", "swell",
    "itch", "ache", "bruise", "cool", "drop", "increase", "decrease", "report", "judge", "compare", "test", "try",
    "look", "follow", "ask", "check", "act", "add", "apply", "allow", "avoid", "call", "continue", "cost", "cure",
    "disappear", "drink", "eat", "expect", "fail", "fill", "fit", "gain", "hold", "hope", "learn", "lose", "lift",
    "live", "move", "offer", "open", "pay", "produce", "provide", "put", "reach", "receive", "remain", "remove",
    "replace", "require", "rest", "return", "rub", "share", "shave", "smell", "spend", "stand", "store", "suffer",
    "swallow", "switch", "talk", "teach", "turn", "understand", "wait", "walk", "want", "wash", "wear", "weigh",
    "wipe", "worry", "write", "respond", "relapse", "recover", "involve", "limit", "notice", "prove", "raise",
    "refer", "rely", "repeat", "rinse", "sleep", "survive", "tingle", "wake", "worsen", "overreact", "tell",
    "measure", "rate", "score", "feel",
]
_IRREGULAR = [
    "got", "gave", "made", "came", "went", "took", "kept", "felt", "found", "showed", "shown", "said", "ran", "let",
    "sat", "fell", "rose", "crept", "became", "hurt", "cut", "led", "spread", "bought", "brought", "told", "sold",
    "left", "began", "grew", "knew", "saw", "read", "thought", "put", "held", "lost", "paid", "spent", "stood",
    "taught", "woke", "wrote", "meant",
]


def _verb_forms(bases: list[str]) -> frozenset[str]:
    """Each base form with its third person ('-s', '-es', '-ies') and past ('-ed', '-ied') forms."""
    forms = set(_IRREGULAR)
    for b in bases:
        if re.search(r"[^aeiou]y$", b):
            forms.update((b, b[:-1] + "ies", b[:-1] + "ied"))
        else:
            third = b + "es" if re.search(r"(?:s|sh|ch|x|z|o)$", b) else b + "s"
            forms.update((b, third, (b[:-1] if b.endswith("e") else b) + "ed"))
    return frozenset(forms)


_FINITE = _AUXILIARIES | _verb_forms(_VERBS)
# after these a word is a noun or an adjective ("other parts", "the work"), not a verb
_NOMINAL = frozenset([
    "a", "an", "the", "these", "those", "my", "your", "his", "her", "its", "our", "their", "some", "any", "no",
    "every", "each", "all", "both", "few", "many", "several", "other", "another", "such", "more", "most", "much",
    "less", "least", "own", "two", "three", "first", "last", "next", "same", "certain", "main", "usual", "new",
    "old", "small", "large", "short", "long", "good", "bad", "strong", "weak", "heavy", "mild", "severe", "whole",
    "real", "fake", "dry", "wet", "metal", "of", "in", "on", "to", "for", "with", "at", "by", "from", "into",
    "about", "over", "under", "after", "before", "during", "without", "within", "between", "through", "per", "as",
    "like", "than", "tap",
])
_LEAD_IN = re.compile(r"^(?:in|of|after|for|on|at|by|during|overall|today|even so|also|however|but|so|yet|then|since|"
                       r"once|like|as with|with|from|among|across|over|within|when|if)\b[^,]*,\s*")
_SUBORDINATE = re.compile(r"\b(?:when|while|after|before|until|if|because|so|than|such as)\b|[:;(]")
_RELATIVE_WORDS = frozenset(["that", "which", "who", "whose", "where"])
_PAST = re.compile(r"^[a-z]+ed$")
_NOT_A_NEW_VERB = frozenset([
    "to", "not", "never", "and", "but", "or", "can", "could", "may", "might", "will", "would", "shall", "should",
    "must", "do", "does", "did", "is", "are", "was", "were", "be", "been", "has", "have", "had",
])
_STEP_VERBS = frozenset([
    "put", "place", "take", "remove", "fill", "turn", "press", "wipe", "wash", "dry", "cover", "check", "look",
    "bring", "wear", "keep", "follow", "rest", "hold", "leave", "swallow", "store", "go", "write", "book", "arrive",
    "use", "change", "try", "get", "let", "learn", "lift", "unplug", "switch", "set", "plug", "start", "sit",
    "shave", "apply", "soak", "rinse", "clean", "think", "share", "print", "say", "tell", "write",
])


def _is_definition(text: str, low: str) -> bool:
    """'Iontophoresis means …', 'It is also called …', 'A dermatologist is a doctor who …'."""
    if _DEFINES.search(low):
        return True
    m = _IS_A.match(text)
    return m is not None and (m.group(1) or m.group(2) or "").split()[0].lower() not in _PRONOUNS


def _is_fragment(low: str) -> bool:
    """A noun phrase with no main verb: a glossary entry, a heading, a list item's label.

    Looks at the words before any subordinate clause: a fragment has no verb before its first
    relative clause, and no more verbs than relative clauses ("A drug that is put into the skin …")."""
    if re.match(r"^(?:when|where)\b", low) and "," not in low:
        return True
    main = _SUBORDINATE.split(_LEAD_IN.sub("", low), 1)[0]
    words = re.findall(r"[\w'-]+", main)
    if not words or words[0] in _PRONOUNS or words[0] in _STEP_VERBS:
        return False
    verbs = [i for i in range(len(words)) if _is_verb(words, i)]
    # a relative clause opens with that/which/who, or with a pronoun after a noun ("a cream you put on")
    relatives = [i for i, w in enumerate(words) if w in _RELATIVE_WORDS
                 or (i and w in ("you", "we", "they") and words[i - 1] not in _RELATIVE_WORDS)]
    return len(verbs) <= len(relatives) and (not verbs or verbs[0] > relatives[0])


def _is_verb(words: list[str], i: int) -> bool:
    """Is ``words[i]`` a finite verb? A known verb form that does not follow a determiner, an
    adjective or a preposition ('the work', 'other parts'), a modal or 'to' (counted once), and is
    not a participle ('caused by', 'used for')."""
    w, before = words[i], words[i - 1] if i else ""
    after = words[i + 1] if i + 1 < len(words) else ""
    if before in _NOT_A_NEW_VERB or w not in _FINITE:
        return False
    if w in _AUXILIARIES:
        return True
    if i == 0 or before in _NOMINAL:
        return False
    participle = _PAST.match(w) or w in _IRREGULAR
    return not (participle and after in ("by", "for", "in", "on", "to", "with", "into", "as", "from", "at", "under",
                                         "inside", ""))


def _is_step(low: str) -> bool:
    """A plain instruction: 'Turn it up slowly until you feel a tingle.'"""
    first = re.sub(r"^(?:please|then|now|first|next),?\s+", "", low).split(" ", 1)[0]
    return first in _STEP_VERBS


# --- 5. the kind ---------------------------------------------------------------------------

# (words one of which the pattern needs, pattern)
_NOT_SCANNED: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    # an embedded question asserts nothing: "ask how often", "judge how well it works"
    (("how", "what", "which", "why", "whether"),
     _rx(r"(?:,|\b(?:ask|asks|know|find|judge|learn|tell|decide|check|include|about|say|of|on))\s+(?:\w+\s+){0,2}?"
         r"(?:how|what|which|why|whether)\b[^,;.]*")),
    (("called", "known as", "referred"),
     _rx(r"\b(?:often|usually|sometimes|also) (?:called|known as|referred to as)\b")),
    (("check", "find out", "show", "see", "know", "tell you"),
     _rx(r"\b(?:check|checks|checking|find out|shows?|to see|know|knows|tell you)\s+(?:that|whether|if)\b[^.;]*")),
    (("until you",), _rx(r"\buntil you (?:can )?feel (?:a |the )?(?:tingle|tingling|it)\b")),
    (("no ",), _rx(r"\b(?:with |has |have )?no (?:known|clear|obvious|other) (?:cause|reason)\b")),
    (("step", "page", "room", "floor", "figure", "table", "version", "level", "grade", "chapter", "section", "am",
      "pm"),
     _rx(r"\b(?:step|page|room|floor|figure|table|version|level|grade|chapter|section)\s+\d+\w*|"
         r"\b\d{1,2}(?:[.:]\d\d)?\s*(?:am|pm)\b")),
)
_LOGISTICS = _rx(r"\b(?:appointments?|arrive|parking|opening hours|the lift|photos?)\b")


def _scanned(text: str) -> str:
    """The sentence without the parts that never make a claim."""
    for needs, pattern in _NOT_SCANNED:
        if any(n in text for n in needs):
            text = pattern.sub(" ", text)
    return text


def _cue_kinds(scan: str, weak: bool) -> set[str]:
    """The kinds whose cues are in ``scan``; weak cues only if ``weak``."""
    found: set[str] = set()
    present = _token_keys(scan)
    for kind, strong, keys, pattern in _CUES:
        if kind not in found and (strong or weak) and not keys.isdisjoint(present) and pattern.search(scan):
            found.add(kind)
    return found


def claim_kind(sentence: str) -> str | None:
    """The kind of claim ``sentence`` makes (one of :data:`KINDS`), or ``None`` if it needs no source."""
    text = clean(sentence)
    if not text or _not_prose(text):
        return None
    low = text.lower()
    if _is_navigation(sentence.lower(), low) or _about_site(low):
        return None
    care = _care_kind(low)
    if care is not None:
        return care or None
    if _LOGISTICS.search(low):
        return None
    scan = _scanned(low)
    weak = not (_is_definition(text, low) or _is_fragment(low) or _is_step(low))
    found = _cue_kinds(scan, weak)
    if found == {"source"}:  # "One maker says …": what a source says needs that source
        return "evidence"
    return next((kind for kind in KINDS if kind in found), None)


def reports_a_source(sentence: str) -> bool:
    """Does the sentence say who says it ("One maker says …", "NHS leaflets list …")?"""
    scan = _scanned(clean(sentence).lower())
    return "source" in _cue_kinds(scan, weak=False)


# --- summaries: is what a summary point says in a cited sentence of the page? ---------------

_STOP = frozenset([
    "a", "an", "the", "and", "or", "but", "if", "so", "as", "of", "to", "in", "on", "at", "by", "for", "with",
    "from", "into", "than", "then", "that", "this", "these", "those", "it", "its", "it's", "is", "are", "was",
    "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "can", "could", "may", "might",
    "will", "would", "should", "must", "not", "no", "nor", "you", "your", "yours", "we", "our", "they", "their",
    "them", "he", "she", "his", "her", "i", "me", "my", "there", "here", "what", "which", "who", "whom", "how",
    "when", "where", "why", "also", "just", "only", "very", "more", "most", "much", "many", "some", "any", "each",
    "every", "all", "both", "few", "other", "such", "own", "same", "too", "about", "after", "before", "over",
    "under", "up", "down", "out", "off", "again", "once", "until", "while", "because", "through", "during", "s",
    "t",
])
_NUMBER_VALUES = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                  "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20",
                  "half": "1/2", "halves": "1/2", "third": "1/3", "thirds": "1/3", "quarter": "1/4"}
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+")


def figures(text: str) -> set[str]:
    """The figures in ``text``, as digits: '8 in 10', 'half', 'ten' → {'8', '10', '1/2'}."""
    return _figures(clean(text).lower())


def _figures(cleaned: str) -> set[str]:
    out = set()
    for token in _FIGURE.findall(cleaned):
        if token[0].isdigit():
            out.add(token.replace(",", ""))
        elif token in _NUMBER_VALUES and token != "one":
            out.add(_NUMBER_VALUES[token])
    return out


def stems(text: str) -> set[str]:
    """Content words of ``text``, crudely stemmed (first five letters after removing an ending), so
    that 'sweating', 'sweaty' and 'sweat' meet."""
    return _stems(clean(text).lower())


def _stems(cleaned: str) -> set[str]:
    out = set()
    for word in re.findall(r"[a-z]+", cleaned):
        if word in _STOP or len(word) < 3 or word in _NUMBER_VALUES:
            continue
        for ending in ("ing", "ed", "ly", "es", "s"):
            if word.endswith(ending) and len(word) - len(ending) >= 4:
                word = word[: -len(ending)]
                break
        out.add(word[:5])
    return out


SUMMARY_OVERLAP = 0.5  # share of a summary point's content words that one cited passage must have


def features(text: str) -> tuple[set[str], set[str]]:
    """What :func:`summary_supported` compares: the figures and the content words of ``text``."""
    cleaned = clean(text).lower()  # once for both
    return _figures(cleaned), _stems(cleaned)


def summary_supported(point: str, passages: Iterable[tuple[set[str], set[str]]]) -> bool:
    """Does one cited passage of the page body (given as :func:`features`) say what the summary
    sentence ``point`` says? Every figure of the point must be in that passage, and at least half
    of its content words (:data:`SUMMARY_OVERLAP`)."""
    want_figures, want_words = features(point)
    return any(want_figures <= have_figures
               and (not want_words or len(want_words & have_words) >= SUMMARY_OVERLAP * len(want_words))
               for have_figures, have_words in passages)
