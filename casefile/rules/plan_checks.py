"""SMART checks for plans: readable warnings about vague actions, and the one refusal (a trivial contingency).

Plans are SMART by construction: the plan form cannot be saved without an owner, a due date and a measure for
every action, so "ongoing" can never be a due date. What a form cannot check is whether what was typed says
anything. Practice guidance (statutory-rules.md §9, SMART plan; Leeds and Manchester SMART planning tips) lists
the usual defects: an owner who is a role rather than a named person ("mum", "professionals", "all agencies"),
an action with no verb, an action that only promises to "continue to", "engage with", "monitor" or "support"
with nothing to measure it by, and a measure that is missing or just repeats the action.

These are heuristics, so they warn and never block: a worker can save a plan the checks dislike, and sees why
on the plan page. Every function takes any text (even None) and never raises.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class PlanWarning:
    """One problem with an action: which part ("owner", "description" or "measure") and what to do about it."""

    field: str
    message: str


# Words that name a role, a relationship or a group, never a person. An owner made only of these (and the
# filler words below) names nobody: "mum", "social worker", "all agencies", "the school".
ROLE_WORDS = frozenset("""
    mum mums mummy mom mother mothers dad dads daddy father fathers parent parents carer carers caregiver
    family families grandparent grandparents grandmother grandfather gran grandma nan nana nanny grandad grandpa
    step stepmum stepdad stepmother stepfather partner partners aunt auntie uncle sibling siblings brother sister
    child children young person people baby
    professional professionals agency agencies partner everyone everybody anyone all team teams staff
    social worker workers sw practitioner practitioners manager key lead leads
    school schools nursery college teacher teachers head headteacher senco dsl designated safeguarding
    health visitor hv gp doctor nurse midwife midwifery paediatrician camhs hospital
    police officer officers pcso probation housing landlord cafcass iro chair coordinator
    early help service services provider providers support network core group groups
    tbc tba tbd unknown various relevant appropriate allocated named
""".split())
FILLER_WORDS = frozenset("the a an and or of for to at with from by in on etc".split())

# Verbs that plan actions usually start with. Inflected forms are matched by `_stems`.
VERBS = frozenset("""
    accompany agree allow apply arrange ask assess attend avoid bath bathe be book bring buy call carry change
    check choose clean clear collect complete confirm contact cook cut decide deliver discuss dispose do drink
    drop eat enrol enroll ensure explain feed fill find finish fit fix follow get give go hand have help hold
    identify inform install introduce invite join keep learn leave let limit liaise lock make manage meet move
    note obtain offer organise organize pay phone pick plan play practise practice prepare provide put read
    receive record reduce refer register remain remove repair replace report request return review ring run say
    screen see seek sell send set share show sign sit sleep speak spend start stay stop store submit supervise
    take talk teach tell test tidy train undertake update use visit wait walk wash watch wear work write
    continue engage monitor support encourage consider try maintain improve increase decrease abstain escort
    vaccinate immunise weigh measure explore agree attend notify chase escalate reconvene convene
""".split())
IRREGULAR_VERB_FORMS = frozenset("""
    went gone took taken brought made kept met gave given told spoke spoken saw seen paid bought sat left put
    got found did done been is are was were ate eaten slept spent sent wrote
    written read taught held run ran
""".split())
MODALS = frozenset("will must should shall can".split())

# Phrases that promise effort rather than a change: fine with a measure that says what will be seen or counted,
# vague without one. Each is a regular expression over normalised text, so "monitoring" matches "monitor".
VAGUE_PHRASES: dict[str, str] = {
    "continue to": r"\bcontinu\w* to\b",
    "engage with": r"\bengag\w* with\b",
    "engage": r"\bengag\w*",
    "monitor": r"\bmonitor\w*",
    "support": r"\bsupport\w*",
    "work with": r"\bwork\w* with\b",
    "liaise": r"\bliais\w*",
    "be aware": r"\bbe aware\b",
    "ensure": r"\bensur\w*",
    "consider": r"\bconsider\w*",
    "try to": r"\b(?:try|tries|tried|trying) to\b",
    "encourage": r"\bencourag\w*",
    "as required": r"\bas (?:required|needed|necessary|appropriate)\b",
    "as and when": r"\bas and when\b",
    "where possible": r"\b(?:where|if|when) (?:possible|needed|appropriate)\b",
    "ongoing": r"\bon ?going\b",
    "regularly": r"\bregular(?:ly)?\b",
}
_VAGUE_PATTERNS = {label: re.compile(pattern) for label, pattern in VAGUE_PHRASES.items()}

# A measure says what someone will see, count or be told: a number or a frequency, or a piece of evidence.
NUMBER_WORDS = frozenset("""
    one two three four five six seven eight nine ten eleven twelve twenty half once twice daily weekly
    fortnightly monthly every each per cent percent all none no never always
""".split())
EVIDENCE_WORDS = frozenset("""
    register registers attendance record records report reports letter letters certificate certificates
    photo photos photograph log logs chart charts diary diaries test tests result results score scores
    weight centile appointment appointments sessions session tenancy receipt receipts minutes observed
    observation observations says said tells told confirms confirmed shows showed seen visit visits
""".split())
# Words that describe a hope rather than something observable: "improved", "better engagement".
VAGUE_MEASURE_WORDS = frozenset("""
    improve improvement better engage engagement progress positive positively good well appropriate
    appropriately ongoing satisfactory sufficient reduce reduction increase
""".split())

MIN_CONTINGENCY_WORDS = 6
TRIVIAL_CONTINGENCIES = frozenset({
    "tbc", "tba", "tbd", "n a", "na", "none", "nil", "escalate", "escalation", "legal", "legal advice",
    "to be agreed", "to be confirmed", "reconvene", "review", "see above", "as above",
})

OWNER_EXAMPLE = "for example ‘Dawn Hartley (mother)’ or ‘Sam Worker (social worker)’"


def normalise(text: str | None) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed: how two texts are compared."""
    text = str(text or "").replace("’", "'")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.findall(r"[a-z0-9]+(?:'[a-z0-9]+)*", folded))


def words(text: str | None) -> list[str]:
    """The words of a text, normalised, without possessives: "Mum's" -> "mum"."""
    return [word.removesuffix("'s") for word in re.findall(r"[a-z]+(?:'[a-z]+)*", normalise(text))]


def check_action(description: str | None, owner: str | None, measure: str | None) -> list[PlanWarning]:
    """Warnings about one plan action, in the order the worker reads the action: who, what, how measured."""
    warnings = [*_owner_warnings(owner), *_description_warnings(description, measure), *_measure_warnings(
        description, measure)]
    return warnings


def contingency_problem(text: str | None) -> str | None:
    """Why a contingency is too thin to save, or None. Unlike the action checks, this one refuses."""
    said = normalise(text)
    if not said:
        return "Enter the contingency: what will happen if the plan does not work"
    if said in TRIVIAL_CONTINGENCIES or len(said.split()) < MIN_CONTINGENCY_WORDS:
        return ("The contingency must say what will happen if the plan does not work, and who will act, for "
                "example ‘If school attendance falls below 80%, the core group meets within 5 working days "
                "and the social worker asks for a legal planning meeting’")
    return None


# Who ----------------------------------------------------------------------------------------------------


def names_a_person(owner: str | None) -> bool:
    """True when the owner has a word that is not a role, relationship or group: most likely a name.

    A name in brackets counts too ("Mother (Dawn)"), and a role in brackets is fine ("Dawn (mother)").
    """
    return any(word not in ROLE_WORDS and word not in FILLER_WORDS for word in words(owner))


def _owner_warnings(owner: str | None) -> list[PlanWarning]:
    if not normalise(owner):
        return [PlanWarning("owner", f"Name the person who will do this, {OWNER_EXAMPLE}")]
    if not names_a_person(owner):
        return [PlanWarning("owner", f"‘{_quote(owner)}’ is a role, not a named person: say who will do this, "
                                     f"{OWNER_EXAMPLE}")]
    return []


# What ---------------------------------------------------------------------------------------------------


def _stems(word: str) -> set[str]:
    """The word and the base forms it could be inflected from: walks, walked, walking -> walk."""
    candidates = {word}
    for suffix in ("ies", "es", "s", "ed", "d", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            base = word[: -len(suffix)]
            candidates |= {base, base + "e", base + "y"}
            if len(base) > 2 and base[-1] == base[-2]:  # stopping -> stop
                candidates.add(base[:-1])
    return candidates


def has_verb(text: str | None) -> bool:
    """Whether the text says somebody does something: a known verb, or a word after "will", "must", ..."""
    tokens = words(text)
    if any(token in IRREGULAR_VERB_FORMS or _stems(token) & VERBS for token in tokens):
        return True
    return any(first in MODALS for first, _ in zip(tokens, tokens[1:], strict=False))


def vague_phrases(text: str | None) -> list[str]:
    said = normalise(text)
    found = [label for label, pattern in _VAGUE_PATTERNS.items() if pattern.search(said)]
    # "engage with" already says "engage": report the longer phrase only.
    return [label for label in found if not any(label != other and label in other for other in found)]


def is_measurable(measure: str | None) -> bool:
    """Whether a measure names something someone could see, count or be told."""
    said = normalise(measure)
    tokens = set(words(measure))
    return bool(re.search(r"\d", said)) or bool(tokens & (NUMBER_WORDS | EVIDENCE_WORDS))


def _description_warnings(description: str | None, measure: str | None) -> list[PlanWarning]:
    if not normalise(description):
        return [PlanWarning("description", "Say what will be done, for example ‘Walk Lily to school by 8:45am "
                                           "every weekday’")]
    warnings = []
    if not has_verb(description):
        warnings.append(PlanWarning("description", f"‘{_quote(description)}’ does not say what anyone will do: "
                                                   f"start with what will be done, for example ‘Take Lily to "
                                                   f"every health visitor appointment’"))
    vague = vague_phrases(description)
    if vague and not is_measurable(measure):
        phrases = " and ".join(f"‘{phrase}’" for phrase in vague)
        verb = "does" if len(vague) == 1 else "do"
        warnings.append(PlanWarning("description", f"{phrases} {verb} not say what will change: say what will be "
                                                   f"done and how often, and give a measure someone can check"))
    return warnings


# How it will be measured ---------------------------------------------------------------------------------


def _measure_warnings(description: str | None, measure: str | None) -> list[PlanWarning]:
    said = normalise(measure)
    if not said:
        return [PlanWarning("measure", "Say how everyone will know this has been done, for example ‘The school "
                                       "register shows Lily in school by 9am on every school day’")]
    if said == normalise(description):
        return [PlanWarning("measure", "The measure repeats the action: say what will show it has been done, "
                                       "such as a register, a report or what the child says")]
    if not is_measurable(measure) and any(_stems(word) & VAGUE_MEASURE_WORDS for word in words(measure)):
        return [PlanWarning("measure", f"‘{_quote(measure)}’ is hard to check: say what someone will see, count "
                                       f"or be told, and how often")]
    return []


def _quote(text: str | None, limit: int = 60) -> str:
    """The user's words, trimmed for a message."""
    said = " ".join(str(text or "").split())
    return said if len(said) <= limit else said[: limit - 1].rstrip() + "…"
