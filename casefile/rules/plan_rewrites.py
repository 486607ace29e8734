"""Suggested rewrites for plan quality flags, built from the action's own words where they help.

A rewrite is an example, never an instruction to copy: it keeps what the worker wrote (the owner if it names
someone, the thing to be monitored or attended) and shows the missing parts in angle brackets ("<name>",
"<date>") for the worker to fill in. plan_checks.py decides which rule fired; this module only words the
suggestion, from plain strings, so it depends on nothing.
"""

from __future__ import annotations

import re

# Objects too general to keep in a rewrite: "engage with services" needs the service named.
GENERAL_OBJECTS = frozenset({
    "", "services", "service", "professionals", "agencies", "all agencies", "the plan", "plan", "support",
    "early help", "social worker", "the social worker", "sw", "social care", "it", "this", "them",
})
ROLE_LABELS = {"mum": "mother", "mom": "mother", "mummy": "mother", "dad": "father", "daddy": "father",
               "sw": "social worker", "hv": "health visitor", "parents": "parent", "carers": "carer"}

# Which rewrite a vague phrase gets, in the order they are tried: the first group with a phrase found wins.
VAGUE_GROUPS = (
    ("monitor", ("monitor",)),
    ("attend", ("engage with", "engage", "work with", "access", "accept support")),
    ("help", ("support", "encourage")),
    ("tell", ("liaise", "share information", "keep updated")),
    ("change", ("improve", "reduce", "address", "maintain", "sort out", "reflect", "manage")),
    ("make-so", ("ensure", "keep safe", "be aware", "be open and honest", "be vigilant")),
    ("decide", ("consider", "try to", "to be discussed")),
    ("how-often", ("continue to", "as required", "as and when", "where possible", "ongoing", "regularly")),
)
# The words after each vague phrase name what it is about: "monitor <home conditions>".
_OBJECT_AFTER = {
    "monitor": r"monitor\w*", "engage with": r"engag\w* with", "engage": r"engag\w*( with| in)?",
    "work with": r"work\w* (?:with|on|together with)", "access": r"access\w*", "accept support": r"accept\w*",
    "support": r"support\w*( with)?", "encourage": r"encourag\w*", "liaise": r"liais\w*( with)?",
    "share information": r"shar\w* information( with)?", "improve": r"improv\w*", "reduce": r"reduc\w*",
    "address": r"address\w*( concerns (?:about|around))?", "maintain": r"maintain\w*", "sort out": r"sort\w* out",
    "reflect": r"reflect\w* on", "manage": r"manag\w*",
}


def who(owner: str | None, *, names_someone: bool, kind: str) -> str:
    """The owner as a rewrite names them: as typed when it names someone, else "<name> (role)"."""
    typed = " ".join(str(owner or "").split())
    if names_someone:
        return typed
    if not typed or kind == "placeholder":
        return "<name> (<role>)"
    role = ROLE_LABELS.get(typed.lower(), typed if kind == "organisation" else typed.lower())
    return f"<name> ({role})"


def owner(owner_text: str | None, description: str | None, *, kind: str) -> str:
    named = who(owner_text, names_someone=False, kind=kind)
    task = f" to ‘{_short(description)}’" if _short(description) else ""
    if kind == "organisation":
        return f"Name the person at {_short(owner_text)} who will do this{task}: ‘{named}’"
    group = re.search(r"\b(?:all|professionals|agencies|parents|family|everyone|core group)\b",
                      str(owner_text or "").lower())
    if group:
        return (f"Give each person their own action{task}, each with a name, for example "
                f"‘Dawn Hartley (mother)’ and ‘Jo Price (health visitor)’")
    return f"Write the person’s name with the role in brackets: ‘{named}’"


def no_verb(description: str | None, who_text: str, by: str) -> str:
    topic = _short(description) or "<what>"
    return (f"Start with who does what about ‘{topic}’, for example: ‘{who_text} <does what> {by}; "
            f"<who> sees <what> at <when>’")


def vague(description: str | None, who_text: str, phrases: list[str], by: str) -> str:
    group, phrase = _group(phrases)
    thing = _object(description, phrase)
    shown = thing if thing.lower() not in GENERAL_OBJECTS else ""
    return {
        "monitor": f"Name who will check {shown or '<what>'}, how often, and what they will see, for example: "
                   f"‘{who_text} visits every week and sees {shown or '<what>'}; records what they see after each "
                   f"visit’",
        "attend": _attend(description, who_text, shown, by),
        "help": f"Say what help will be given and how often, for example: ‘{who_text} <does what> every "
                f"<week> {by}{' with ' + shown if shown else ''}; <who> sees <what changes>’",
        "tell": f"Say who tells whom what, and how often, for example: ‘{who_text} rings <name> every <week> "
                f"about {shown or '<what>'}; each call is recorded on the file’",
        "change": f"Say what will be done about {shown or 'it'}, and what someone will see or be told once it has "
                  f"changed, for example: ‘{who_text} <does what> {by}; <name> sees or is told <what has "
                  f"changed>’",
        "make-so": f"Say what {who_text} will do that makes it so, for example: ‘{who_text} <does what> every "
                   f"<day> {by}; <name> sees or is told <what>’",
        "decide": f"Decide now and write what will be done: ‘{who_text} <does it> {by}’; if it is not decided "
                  f"yet, leave it out of the plan",
        "how-often": f"Say how often instead of ‘{phrase}’, for example ‘every week’, ‘at every visit’ or "
                     f"‘before each review’: ‘{who_text} to {_deed(_without(description, phrase))} every "
                     f"<week> {by}’",
    }[group]


def _attend(description: str | None, who_text: str, shown: str, by: str) -> str:
    if re.search(r"\bsocial worker\b", str(description or "").lower()):
        return (f"Say what will happen and how often, for example: ‘{who_text} meets <social worker’s name> "
                f"every <week> to <do what>; the visit records show each meeting’")
    course = shown or "<the course or service, by name>"
    return (f"Say what will be attended and how often, for example: ‘{who_text} attends all <number> sessions "
            f"of {course} {by}; the register for {course} shows attendance’")


def measure(description: str | None, who_text: str, by: str) -> str:
    said = str(description or "").lower()
    for pattern, example in _MEASURE_EXAMPLES:
        if re.search(pattern, said):
            return f"Say what someone will see, count or be told, for example: ‘{example.format(who=who_text)}’"
    return (f"Say what someone will see, count or be told, for example: ‘<name> sees or is told <what> {by}, "
            f"and records it on the file’")


_MEASURE_EXAMPLES = (
    (r"\bschool|attendance\b", "The school register shows <child’s name> in school on at least 95% of days each "
                               "half term"),
    (r"\bcourse|session|group|programme|class\b", "The course register shows {who} at every session; the "
                                                  "certificate is shown to the social worker"),
    (r"\btest|alcohol|drink|drug|cannabis|sober\b", "Test results sent to the social worker show <what> every "
                                                    "<month>"),
    (r"\brefer", "A copy of the referral is on file, and the service confirms in writing that it was received"),
    (r"\bgp|dentist|hospital|clinic|appointment|health|weight\b", "A letter from the <GP or clinic> confirms each "
                                                                  "appointment was attended"),
    (r"\bhome|house|bedroom|kitchen|room|condition", "At each visit <worker’s name> sees <the rooms named> "
                                                     "<as they should be>, and records what they saw"),
    (r"\bvisit", "Visit records show a visit every <number> working days and what was seen"),
)


def due_date() -> str:
    return ("Give the date it will be done by, for example ‘by 31 March’; for something that carries on, say "
            "how often it happens and give the date it will be checked (the next review)")


def contingency(text: str | None) -> str:
    typed = _short(text)
    start = f"Build on ‘{typed}’: s" if typed else "S"
    return (f"{start}ay what would show the plan is not working and what happens then, for example: ‘If <Lily "
            f"misses 3 days of school in a month>, <manager’s name> holds a <legal planning meeting> within "
            f"<5> working days’")


def outcome(text: str | None) -> str:
    return (f"Add at least one action for ‘{_short(text) or 'this outcome'}’: who does what, by when, and how "
            f"everyone will know")


def _group(phrases: list[str]) -> tuple[str, str]:
    for group, members in VAGUE_GROUPS:
        for phrase in phrases:
            if phrase in members:
                return group, phrase
    return "how-often", phrases[0] if phrases else ""


def _object(description: str | None, phrase: str) -> str:
    """The words after the vague phrase, as typed: "Monitor home conditions" -> "home conditions"."""
    pattern = _OBJECT_AFTER.get(phrase)
    text = " ".join(str(description or "").replace("’", "'").split())
    found = re.search(rf"\b{pattern}\s+(.+)", text, re.IGNORECASE) if pattern else None
    if not found:
        return ""
    thing = re.split(r"[.;:,]| by | every | weekly| daily| and ", found.groups()[-1], maxsplit=1)[0]
    return _short(thing.strip(), 50)


def _deed(text: str) -> str:
    """What is to be done, without who does it: "Mum to attend all appointments" -> "attend all appointments"."""
    deed = re.sub(r"^(?:\S+\s+){0,3}?(?:to|will|must|should)\s+", "", text, count=1)
    deed = _short(deed) or "<do what>"
    return deed[:1].lower() + deed[1:]


def _without(description: str | None, phrase: str) -> str:
    text = " ".join(str(description or "").split())
    return re.sub(rf"\s*\b{re.escape(phrase)}\b\s*", " ", text, flags=re.IGNORECASE).strip()


def _short(text: str | None, limit: int = 60) -> str:
    said = " ".join(str(text or "").split())
    return said if len(said) <= limit else said[: limit - 1].rstrip() + "…"
