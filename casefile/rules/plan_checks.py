"""Plan quality checks: explainable flags on plan actions and on the plan, and the one refusal (a trivial
contingency).

Plans are SMART by construction: the plan form cannot be saved without an owner, a due date and a measure for
every action, so "ongoing" can never be a due date there. What a form cannot check is whether what was typed says
anything. Practice guidance (statutory-rules.md §9, SMART plan; Leeds and Manchester SMART planning tips) lists
the usual defects: an owner who is a role rather than a named person ("mum", "professionals", "all agencies"),
an action with no verb, an action that only promises to "continue to", "engage with", "monitor" or "support"
with nothing to measure it by, and a measure that is missing, just repeats the action, or is a hope ("improved").

Each flag is a `PlanWarning` carrying its rule (a stable code such as PQ4 and a short name such as
vague-wording, listed in `RULES` with why the rule exists), the reason in a sentence, and a suggested rewrite
built from the action's own words (`plan_rewrites.py`). `check_plan` runs every rule over a whole plan given as
plain data: that is what runs before a manager authorises a plan. docs/plan-quality.md gives each rule's
precision and recall on the hand-labelled corpus in rules/tests/plan_action_corpus.py.

These are heuristics, so they warn and never block: a worker can save a plan the checks dislike, and sees why
on the plan page. Every function takes any text (even None) and never raises.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from casefile.rules import plan_rewrites


@dataclass(frozen=True)
class Rule:
    """A plan quality rule: a stable code, a short name, what it checks and why it exists."""

    code: str
    name: str
    checks: str
    why: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"


_SMART = "statutory-rules.md §9 (SMART plan: Leeds SCP and Manchester SMART planning tips)"
RULES: dict[str, Rule] = {rule.code: rule for rule in (
    Rule("PQ1", "owner-missing", "The action has no owner.",
         f"Every plan item needs a named owner ({_SMART}); an action nobody owns is done by nobody."),
    Rule("PQ2", "owner-not-named", "The owner is a role, a group, an organisation or a placeholder, not a person.",
         f"The named owner is a SMART field ({_SMART}): ‘mum’, ‘professionals’ or ‘school’ cannot be held to "
         f"account, and audit letters find plans nobody owns."),
    Rule("PQ3", "no-verb", "The action does not say what anyone will do.",
         f"An action is something someone does ({_SMART}: ‘action- rather than outcome-based’ is a common "
         f"defect); a topic such as ‘home conditions’ is not an action."),
    Rule("PQ4", "vague-wording", "The action promises effort (‘engage’, ‘monitor’, ‘continue to’, ‘support’) "
                                 "and its measure does not make it checkable.",
         f"‘Vague’ is the first defect SMART guidance names ({_SMART}); ‘monitor’ and ‘continue to engage’ are "
         f"the phrases inspectors quote (comparable-systems.md §7.3)."),
    Rule("PQ5", "measure-missing", "The action has no measure, or a placeholder such as ‘N/A’.",
         f"Measurable is the M in SMART; measure/evidence is a required field ({_SMART})."),
    Rule("PQ6", "measure-repeats-action", "The measure only says the action was done, in the action’s words.",
         f"A measure must say how everyone will know it was done ({_SMART}); ‘course attended’ says nothing "
         f"a review can check."),
    Rule("PQ7", "measure-not-observable", "The measure is a hope or a judgement: nothing anyone can see, count "
                                          "or be told.",
         f"‘Not measurable’ is a named defect ({_SMART}); ‘improved’ or ‘Lily is safe’ cannot be shown to a "
         f"review conference."),
    Rule("PQ8", "due-date-missing", "The action has no date, or words such as ‘ongoing’ instead of one.",
         f"Time-bound is the T in SMART; due_date is a required field ({_SMART})."),
    Rule("PQ9", "no-contingency", "The plan has no contingency.",
         "A plan must say what happens if it does not work (Strengthening Families model, statutory-rules.md §9; "
         "the Stockton diagnostic asks for contingency planning in every child protection plan)."),
    Rule("PQ10", "contingency-thin", "The contingency does not say what will trigger it and what will happen.",
         "A contingency that says only ‘escalate’ or ‘consider legal advice’ cannot be acted on: it must name "
         "the trigger and the step (statutory-rules.md §9; Stockton diagnostic, 2014)."),
    Rule("PQ11", "outcome-without-actions", "An outcome for the child has no actions.",
         f"Each outcome is reached through actions with an owner and a date ({_SMART})."),
)}

ACTION_RULES = ("PQ1", "PQ2", "PQ3", "PQ4", "PQ5", "PQ6", "PQ7", "PQ8")


@dataclass(frozen=True)
class PlanWarning:
    """One flag on an action or a plan: which part ("owner", "description", "measure", "due_date",
    "contingency", "outcome"), the reason and what to do (message), the rule, and a suggested rewrite."""

    field: str
    message: str
    code: str = ""
    rewrite: str = ""

    @property
    def rule(self) -> Rule | None:
        return RULES.get(self.code)

    @property
    def name(self) -> str:
        return self.rule.name if self.rule else ""

    @property
    def label(self) -> str:
        """‘PQ4 vague-wording’: how a flag is named on screen and in a manager's queue."""
        return self.rule.label if self.rule else ""


@dataclass(frozen=True)
class ActionData:
    """A plan action as plain data. due_date is a date, None, or whatever text was typed instead."""

    description: str | None
    owner: str | None
    due_date: date | str | None
    measure: str | None


@dataclass(frozen=True)
class PlanFlag:
    """A flag and where it belongs: the index of the action in the list given, or None for the plan."""

    action: int | None
    warning: PlanWarning


# Words ------------------------------------------------------------------------------------------------

# Words that name a role, a relationship or a group, never a person. An owner made only of these (and the
# filler words below) names nobody: "mum", "social worker", "all agencies", "the school".
ROLE_WORDS = frozenset("""
    mum mums mummy mom mother mothers dad dads daddy father fathers parent parents carer carers caregiver
    family families grandparent grandparents grandmother grandfather gran grandma nan nana nanny grandad grandpa
    step stepmum stepdad stepmother stepfather partner partners aunt auntie uncle sibling siblings brother sister
    maternal paternal child children young person people baby
    professional professionals agency agencies everyone everybody anyone all team teams staff
    social worker workers sw practitioner practitioners manager key keyworker lead leads allocated
    school schools nursery college teacher teachers head headteacher senco dsl designated safeguarding pastoral
    health visitor hv gp doctor nurse midwife midwifery paediatrician camhs hospital
    police officer officers pcso probation housing landlord cafcass iro chair coordinator supervisor
    facilitator volunteer therapist counsellor mentor advocate idva isva
    early help service services provider providers support network core group groups local authority
    council social care mash
    tbc tba tbd unknown various relevant appropriate named
""".split())
FILLER_WORDS = frozenset("the a an and or of for to at with from by in on etc".split())
# Organisations that look like names: an owner that is only one of these names nobody.
ORGANISATIONS = ("barnardo", "barnardos", "women's aid", "womens aid", "turning point", "change grow live", "cgl",
                 "nspcc", "home start", "relate", "action for children", "catch22", "we are with you",
                 "talking therapies", "iapt", "nhs", "family hub", "children's centre")
# The last word of an organisation's name: "Westfield Primary School", "Halton Housing".
ORGANISATION_ENDINGS = frozenset("""
    school primary academy college nursery housing trust council authority service services team hub centre
    center surgery practice clinic hospital programme project charity association partnership aid police
    camhs nhs ltd limited group unit department board homes
""".split())
PLACEHOLDERS = frozenset({"n a", "na", "tbc", "tba", "tbd", "none", "nil", "unknown", "not known", "to be confirmed",
                          "to be agreed", "see above", "as above", "x"})

# Verbs that plan actions usually start with. Inflected forms are matched by `_stems`.
VERBS = frozenset("""
    accompany agree allow apply arrange ask assess attend avoid bath bathe be book bring buy call carry change
    chase check choose clean clear collect complete confirm contact cook cut decide deliver discuss dispose do
    drink drop eat enrol enroll ensure explain feed fill find finish fit fix follow get give go hand have help
    hold identify inform install introduce invite join keep learn leave let limit liaise lock look make manage
    meet move note obtain offer organise organize pay phone pick plan play practise practice prepare provide put
    read receive record reduce refer refrain register remain remove repair replace report request return review
    ring run say screen see seek sell send set share show sign sit sleep sort speak spend start stay stop store
    submit supervise take talk teach tell test tidy train undertake update use visit wait walk wash watch wear
    work write continue engage monitor support encourage consider try maintain improve increase decrease abstain
    escort vaccinate immunise weigh measure explore notify escalate reconvene convene address access reflect
    carry accept bring email text attend drive wake dress respond bid
""".split())
IRREGULAR_VERB_FORMS = frozenset("""
    went gone took taken brought made kept met gave given told spoke spoken saw seen paid bought sat left put
    got found did done been is are was were ate eaten slept spent sent wrote
    written read taught held run ran
""".split())
# Words after which a verb is the action's verb: "Mum to engage", "Sam will visit", "not allow".
VERB_CUES = frozenset("to will must should shall can not and then also both".split())
PRONOUNS = frozenset("i we he she they you".split())
MODALS = frozenset("will must should shall can".split())

# Phrases that promise effort or hope rather than a deed: fine with a measure that says what will be seen or
# counted, vague without one. Each is a regular expression over normalised text, so "monitoring" matches.
VAGUE_PHRASES: dict[str, str] = {
    "continue to": r"\bcontinu\w* (?:to|with)\b",
    "engage with": r"\bengag\w* with\b",
    "engage": r"\bengag\w*",
    "monitor": r"\bmonitor\w*",
    "support": r"\bsupport\w*",
    "work with": r"\b(?<!direct )work\w* (?:with|on|together)\b",
    "liaise": r"\bliais\w*",
    "be aware": r"\bbe aware\b",
    "ensure": r"\b(?:ensur\w*|make sure)\b",
    "consider": r"\bconsider\w*",
    "try to": r"\b(?:try|tries|tried|trying) to\b",
    "encourage": r"\bencourag\w*",
    "improve": r"\bimprov\w*",
    "reduce": r"\breduc\w*",
    "address": r"\baddress\w*",
    "maintain": r"\bmaintain\w*",
    "access": r"\baccess\w*",
    "reflect": r"\breflect\w*",
    "sort out": r"\bsort\w* out\b",
    "manage": r"\bmanag\w* (?:his|her|their|my) \w+",
    "keep safe": r"\b(?:keep\w* (?:\w+ ){1,2}|(?:be|remain) (?:\w+ )?)safe\b",
    "keep updated": r"\bkeep\w* (?:\w+ ){0,3}(?:updated|informed)\b",
    "share information": r"\bshar\w* information\b",
    "accept support": r"\baccept\w* (?:support|help|services)\b",
    "be open and honest": r"\bbe (?:open|honest)\b",
    "be vigilant": r"\bvigilan\w*",
    "to be discussed": r"\bto be (?:discussed|agreed|confirmed|decided)\b",
    "as required": r"\bas (?:required|needed|necessary|appropriate)\b",
    "as and when": r"\bas and when\b",
    "where possible": r"\b(?<!and )(?:where|if|when) (?:possible|needed|appropriate)\b",
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
    register registers attendance record records recorded report reports letter letters certificate certificates
    photo photos photograph log logs chart charts diary diaries test tests result results score scores grades
    weight centile sessions session tenancy receipt receipts minutes observed observation observations says said
    say tell tells told confirm confirms confirmed see sees seen statement file email copy form reference signed
    booked authorised check checks checked account shown portal
""".split())
# Words that describe a hope rather than something observable: "improved", "better engagement".
HOPE_WORDS = frozenset("""
    improve improvement better engage engagement progress positive positively good well appropriate
    appropriately ongoing satisfactory sufficient reduce reduction increase more less happier calmer safer
    insight understand understanding thrive
""".split())
# Words that only say an action happened: "course attended", "referral made", "routine in place".
DONE_WORDS = frozenset("""
    done complete completed given achieved attended in place met happened undertaken carried out made it this
    that is are was were be been being has have had will to
""".split())

MIN_CONTINGENCY_WORDS = 6
TRIVIAL_CONTINGENCIES = frozenset({
    "tbc", "tba", "tbd", "n a", "na", "none", "nil", "escalate", "escalation", "legal", "legal advice",
    "to be agreed", "to be confirmed", "reconvene", "review", "see above", "as above",
})
# A contingency says when it applies (a trigger) and what will happen (a step someone takes).
CONTINGENCY_TRIGGERS = re.compile(r"\b(?:if|should|unless|when|where|in the event|otherwise|any (?:further|new))\b")
CONTINGENCY_STEPS = re.compile(
    r"\b(?:legal|plo|pre ?proceedings|court|proceedings|conference|strategy|section 47|s47|accommodat\w*|"
    r"looked after|care order|emergency protection|police protection|core group|"
    r"visits? (?:that|the same|the next) day|same day|"
    r"reconven\w*|review (?:meeting|conference)|meets? within|within \d+|child protection|placement|"
    r"move to|stay with|live with|family group conference|refer\w*|"
    r"within (?:one|two|three|four|five|six|seven|eight|nine|ten|a|the same))\b")

OWNER_EXAMPLE = "for example ‘Dawn Hartley (mother)’ or ‘Sam Worker (social worker)’"


def normalise(text: str | None) -> str:
    """Lower case, accents and punctuation removed, spaces collapsed: how two texts are compared."""
    text = str(text or "").replace("’", "'")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.findall(r"[a-z0-9]+(?:'[a-z0-9]+)*", folded))


def words(text: str | None) -> list[str]:
    """The words of a text, normalised, without possessives: "Mum's" -> "mum"."""
    return [word.removesuffix("'s") for word in re.findall(r"[a-z]+(?:'[a-z]+)*", normalise(text))]


def is_placeholder(text: str | None) -> bool:
    said = normalise(text)
    return said in PLACEHOLDERS or (bool(said) and not re.search(r"[a-z0-9]{2}", said))


# The checks -------------------------------------------------------------------------------------------


def check_action(description: str | None, owner: str | None, measure: str | None, *,
                 due_date: date | str | None = None) -> list[PlanWarning]:
    """Flags on one plan action's words, in the order the worker reads the action: who, what, how measured.

    No due date check (the plan form requires one): use `check_plan_action` when it may be missing too. A due
    date given here only words the rewrites ("by 31 March 2026").
    """
    by = f"by {_day(due_date)}" if due_date_of(due_date) else "by <date>"
    return [*_owner_warnings(owner, description), *_description_warnings(description, owner, measure, by),
            *_measure_warnings(description, owner, measure, by)]


def check_plan_action(action: ActionData) -> list[PlanWarning]:
    """Every action rule (PQ1 to PQ8) on one action given as plain data."""
    return [*check_action(action.description, action.owner, action.measure, due_date=action.due_date),
            *_due_date_warnings(action)]


def check_plan(actions: Sequence[ActionData], contingency: str | None, *,
               outcomes_without_actions: Iterable[str] = ()) -> list[PlanFlag]:
    """Every flag on a plan: each action's (by its index in `actions`), then the plan's own (action None)."""
    flags = [PlanFlag(index, warning) for index, action in enumerate(actions)
             for warning in check_plan_action(action)]
    flags += [PlanFlag(None, warning) for warning in contingency_warnings(contingency)]
    flags += [PlanFlag(None, outcome_warning(outcome)) for outcome in outcomes_without_actions]
    return flags


def contingency_problem(text: str | None) -> str | None:
    """Why a contingency is too thin to save, or None. Unlike the other checks, this one refuses."""
    said = normalise(text)
    if not said:
        return "Enter the contingency: what will happen if the plan does not work"
    if said in TRIVIAL_CONTINGENCIES or len(said.split()) < MIN_CONTINGENCY_WORDS:
        return f"The contingency must say what will happen if the plan does not work, and who will act, {_CONTINGENCY}"
    return None


_CONTINGENCY = ("for example ‘If school attendance falls below 80%, the core group meets within 5 working days "
                "and the social worker asks for a legal planning meeting’")


def contingency_warnings(text: str | None) -> list[PlanWarning]:
    """PQ9 when there is no contingency; PQ10 when it is too short, or lacks a trigger or a step."""
    said = normalise(text)
    if not said or is_placeholder(text):
        return [PlanWarning("contingency", "The plan has no contingency: say what will happen if the plan does "
                                           "not work", "PQ9", f"Add one, {_CONTINGENCY}")]
    problem = contingency_problem(text)
    if problem is None and not CONTINGENCY_TRIGGERS.search(said):
        problem = "The contingency does not say when it applies: start with what would trigger it (‘If …’)"
    elif problem is None and not CONTINGENCY_STEPS.search(said):
        problem = ("The contingency does not say what will happen: name the step, such as a legal planning "
                   "meeting, a review conference or a strategy discussion, and who takes it")
    if problem is None:
        return []
    return [PlanWarning("contingency", problem, "PQ10", plan_rewrites.contingency(text))]


def outcome_warning(outcome: str | None) -> PlanWarning:
    return PlanWarning("outcome", "This outcome has no actions yet: add who will do what, by when", "PQ11",
                       plan_rewrites.outcome(outcome))


# Who ----------------------------------------------------------------------------------------------------


def _segments(owner: str) -> list[str]:
    """The parts of an owner that could each name someone: "Jo Price, health visitor (Family Hub)"."""
    return [part for part in re.split(r"[(),/;&+]|\band\b|\bor\b", owner) if normalise(part)]


def _names_someone(segment: str) -> bool:
    said = normalise(segment)
    for organisation in ORGANISATIONS:
        said = re.sub(rf"\b{re.escape(normalise(organisation))}\b", " ", said)
    tokens = [word.removesuffix("'s") for word in said.split()]
    if not tokens or tokens[-1] in ORGANISATION_ENDINGS:
        return False  # "Westfield Primary School", "Halton Housing": an organisation's name
    return any(len(word) > 1 and word not in ROLE_WORDS and word not in FILLER_WORDS for word in tokens)


def names_a_person(owner: str | None) -> bool:
    """True when some part of the owner names someone: a word that is not a role, relationship, group or
    organisation. A name in brackets counts too ("Mother (Dawn)"), and a role in brackets is fine."""
    if is_placeholder(owner):
        return False
    return any(_names_someone(segment) for segment in _segments(str(owner or "")))


def owner_kind(owner: str | None) -> str:
    """How an owner that names nobody falls short: "placeholder", "organisation" or "role"."""
    if is_placeholder(owner):
        return "placeholder"
    tokens = words(owner) or [""]
    known = any(re.search(rf"\b{re.escape(normalise(name))}\b", normalise(owner)) for name in ORGANISATIONS)
    named_organisation = tokens[-1] in ORGANISATION_ENDINGS and any(word not in ROLE_WORDS | FILLER_WORDS
                                                                    for word in tokens)
    if known or named_organisation or (len(tokens) <= 2 and tokens[-1] in SERVICE_NAMES):
        return "organisation"
    return "role"


# Services named by what they are, which are organisations rather than people: "CAMHS", "the school".
SERVICE_NAMES = frozenset("camhs police probation housing school nursery college hospital mash cafcass nhs "
                               "services service council".split())


def _who(owner: str | None) -> str:
    """The owner as a rewrite names them: as typed if it names someone, else "<name> (their role)"."""
    named = names_a_person(owner)
    return plan_rewrites.who(owner, names_someone=named, kind="" if named else owner_kind(owner))


def _owner_warnings(owner, description) -> list[PlanWarning]:
    if not normalise(owner):
        return [PlanWarning("owner", f"Name the person who will do this, {OWNER_EXAMPLE}", "PQ1",
                            plan_rewrites.owner(owner, description, kind="placeholder"))]
    if names_a_person(owner):
        return []
    said = {"placeholder": "is not a named person", "organisation": "is an organisation, not a named person",
            "role": "is a role, not a named person"}[owner_kind(owner)]
    return [PlanWarning("owner", f"‘{_quote(owner)}’ {said}: say who will do this, {OWNER_EXAMPLE}", "PQ2",
                        plan_rewrites.owner(owner, description, kind=owner_kind(owner)))]


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


def _is_verb(word: str) -> bool:
    return word in IRREGULAR_VERB_FORMS or bool(_stems(word) & VERBS)


def has_verb(text: str | None) -> bool:
    """Whether the text says somebody does something: a verb that starts it, or follows "to", "will", "not",
    a role or a pronoun ("Mum to engage", "Sam will visit", "she visits"). "Statutory visits" and "Safe
    sleeping advice" have a verb's word but no one doing it."""
    tokens = words(text)
    previous = ["", *tokens][: len(tokens)]
    for position, (before, word) in enumerate(zip(previous, tokens, strict=True)):
        if _is_verb(word) and (position == 0 or before in VERB_CUES | PRONOUNS | ROLE_WORDS):
            return True
        if before == "to" and position > 1 and word not in ROLE_WORDS | FILLER_WORDS | ORGANISATION_ENDINGS:
            return True  # "Police to respond": what follows "Someone to" is what they will do
        if before in MODALS:
            return True  # "Dawn will hoover": a modal makes the next word a verb, known or not
    return _named_subject_verb(text)


def _named_subject_verb(text: str | None) -> bool:
    """"Dawn walks Lily to school": a capitalised name then an inflected verb."""
    original = re.findall(r"[A-Za-z]+(?:['’][A-Za-z]+)*", str(text or ""))
    for before, word in zip(original, original[1:], strict=False):
        if before[:1].isupper() and word.islower() and word.endswith("s") and _is_verb(word.lower()) and \
                before.lower() not in DESCRIPTIVE_WORDS:
            return True
    return False


# First words that describe a noun rather than name who acts: "Statutory visits", "Weekly visits".
DESCRIPTIVE_WORDS = frozenset("""
    statutory weekly monthly daily regular home joint unannounced planned further ongoing safe school health
    parenting family direct extra more better all any some
""".split())


def vague_phrases(text: str | None) -> list[str]:
    said = normalise(text)
    found = [label for label, pattern in _VAGUE_PATTERNS.items() if pattern.search(said)]
    # "engage with" already says "engage": report the longer phrase only.
    return [label for label in found if not any(label != other and label in other for other in found)]


def is_measurable(measure: str | None) -> bool:
    """Whether a measure names something someone could see, count or be told.

    A number or a frequency always counts; evidence (a register, a letter, what someone sees or says) counts
    unless the measure only hopes ("better attendance").
    """
    said = normalise(measure)
    tokens = set(words(measure))
    if re.search(r"\d", said) or tokens & NUMBER_WORDS:
        return True
    hopeful = any(_stems(word) & HOPE_WORDS for word in tokens)
    return bool(tokens & EVIDENCE_WORDS) and not hopeful


def measure_repeats_action(description: str | None, owner: str | None, measure: str | None) -> bool:
    """Whether the measure only says the action was done: every word it adds is a word of the action (or its
    owner) or a word such as "done", "attended", "in place"."""
    said = normalise(measure)
    if not said or is_placeholder(measure):
        return False
    if said == normalise(description):
        return True
    action = words(f"{description} {owner}")
    added = [word for word in words(measure) if word not in DONE_WORDS and word not in FILLER_WORDS]
    if all(_is_vague_word(word) for word in added):
        return False  # "As needed", "Ongoing": a hope (PQ7), whatever the action says
    roots, stems = {_root(word) for word in action}, set().union(*(_stems(word) for word in action))
    return all(_root(word) in roots or _stems(word) & stems for word in added)


def _is_vague_word(word: str) -> bool:
    return bool(_stems(word) & HOPE_WORDS) or word in VAGUE_WORDS


# Words of the vague phrases that say nothing on their own in a measure: "as needed", "regular".
VAGUE_WORDS = frozenset("as needed required necessary when possible regular regularly ongoing".split())


def _root(word: str) -> str:
    """A crude stem for comparing two texts: engages, engaged, engagement -> engag."""
    for suffix in ("ments", "ment", "ing", "ies", "ied", "es", "ed", "s", "e", "y"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def measure_is_checkable(description, owner, measure) -> bool:
    return (bool(normalise(measure)) and not is_placeholder(measure)
            and not measure_repeats_action(description, owner, measure) and is_measurable(measure))


def _description_warnings(description, owner, measure, by: str) -> list[PlanWarning]:
    if not normalise(description) or is_placeholder(description):
        return [PlanWarning("description", "Say what will be done, for example ‘Walk Lily to school by 8:45am "
                                           "every weekday’", "PQ3", plan_rewrites.no_verb("", _who(owner), by))]
    warnings = []
    if not has_verb(description):
        warnings.append(PlanWarning("description", f"‘{_quote(description)}’ does not say what anyone will do: "
                                                   f"start with what will be done, for example ‘Take Lily to "
                                                   f"every health visitor appointment’", "PQ3",
                                    plan_rewrites.no_verb(description, _who(owner), by)))
    vague = vague_phrases(description)
    if vague and not measure_is_checkable(description, owner, measure):
        phrases = " and ".join(f"‘{phrase}’" for phrase in vague)
        verb = "does" if len(vague) == 1 else "do"
        warnings.append(PlanWarning("description", f"{phrases} {verb} not say what will change: say what will be "
                                                   f"done and how often, and give a measure someone can check",
                                    "PQ4", plan_rewrites.vague(description, _who(owner), vague, by)))
    return warnings


# How it will be measured, and by when ---------------------------------------------------------------------


def _measure_warnings(description, owner, measure, by: str) -> list[PlanWarning]:
    rewrite = plan_rewrites.measure(description, _who(owner), by)
    if not normalise(measure) or is_placeholder(measure):
        return [PlanWarning("measure", "Say how everyone will know this has been done, for example ‘The school "
                                       "register shows Lily in school by 9am on every school day’", "PQ5", rewrite)]
    if measure_repeats_action(description, owner, measure):
        return [PlanWarning("measure", "The measure repeats the action: say what will show it has been done, "
                                       "such as a register, a report or what the child says", "PQ6", rewrite)]
    if not is_measurable(measure):
        return [PlanWarning("measure", f"‘{_quote(measure)}’ is hard to check: say what someone will see, count "
                                       f"or be told, and how often", "PQ7", rewrite)]
    return []


def due_date_of(value: date | str | None) -> date | None:
    """A due date given as a date or an ISO date string; None for anything else ("ongoing", "asap", "")."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _due_date_warnings(action: ActionData) -> list[PlanWarning]:
    if due_date_of(action.due_date) is not None:
        return []
    typed = normalise(str(action.due_date or ""))
    reason = (f"‘{_quote(str(action.due_date))}’ is not a date" if typed else "There is no date")
    return [PlanWarning("due_date", f"{reason}: give the date this will be done by", "PQ8",
                        plan_rewrites.due_date())]


def _quote(text: str | None, limit: int = 60) -> str:
    """The user's words, trimmed for a message."""
    said = " ".join(str(text or "").split())
    return said if len(said) <= limit else said[: limit - 1].rstrip() + "…"


def _day(value: date | str | None) -> str:
    day = due_date_of(value)
    return f"{day.day} {day:%B %Y}" if day else ""
