"""Names as people write them: normalising, known variants (nicknames and spellings) and sounds-alike keys.

Records are found and matched by name even when one person wrote "Bill Smyth" and another "William
Smith". Nothing here knows about the database: the service layer stores `phonetic_key(last_name)` in an
indexed column so that sounds-alike surnames can be found without reading every record.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jellyfish

# Each group is one name with its common short forms and spellings. A name may sit in more than one group
# (Chris is short for Christopher and for Christine), so two names are variants when they share any group.
NAME_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(group.split())
    for group in (
        "william bill billy will willie willy liam wil",
        "catherine katherine kathryn katharine cathryn kathrine katie katy kate cathy kathy kat kitty cath kath",
        "mohammed muhammad mohamed mohammad muhammed mohamad muhamad mohammod mohd muhammet",
        "robert rob robbie bob bobby bert",
        "richard rich richie rick ricky dick",
        "james jim jimmy jamie jimi",
        "john jack johnny jon jonny",
        "jonathan jon jonny jonty",
        "elizabeth liz lizzie lizzy beth betty bess bessie eliza libby elisabeth",
        "margaret maggie meg peggy margot marge",
        "thomas tom tommy",
        "michael mike mick mickey micky mikey",
        "christopher chris kit topher",
        "christine christina chris tina chrissie kirsty kirstie kristina",
        "alexander alex alec sandy xander",
        "alexandra alex alexa lexi sandy",
        "edward ed eddie ted teddy ned",
        "daniel dan danny",
        "david dave davey davie",
        "joseph joe joey",
        "josephine jo josie",
        "joanne joanna jo jo-anne",
        "matthew matt matty",
        "samuel sam sammy",
        "samantha sam sammy",
        "benjamin ben benny benji",
        "charles charlie chas chuck",
        "charlotte charlie lottie lotte",
        "anthony tony antony",
        "andrew andy drew",
        "nicholas nick nicky nico",
        "nicola nicole nicky nikki",
        "stephen steven steve stevie",
        "peter pete",
        "patrick pat paddy",
        "patricia pat patsy trish tricia",
        "francis frank frankie",
        "frances fran frankie",
        "henry harry hal hank",
        "harriet hattie harry",
        "frederick fred freddie freddy",
        "george georgie",
        "georgina georgia georgie gina",
        "jessica jess jessie",
        "rebecca becky becca bex",
        "deborah debra debbie deb",
        "susan sue susie suzy suzanne",
        "jennifer jenny jen jenna",
        "victoria vicky vicki tori",
        "abigail abby abbie gail",
        "amelia millie milly",
        "emily em emmy millie",
        "isabella isabel isabelle izzy bella",
        "olivia liv livvy",
        "sophie sophia",
        "ellie eleanor elinor nell nellie ella",
        "helen helena ellen nell",
        "ann anne anna annie",
        "mary molly polly mae",
        "sarah sara sally",
        "zachary zach zack",
        "oliver ollie olly",
        "jacob jake",
        "ronald ron ronnie",
        "donald don donnie",
        "kenneth ken kenny",
        "leonard leo len lenny",
        "gerald gerry jerry",
        "lawrence laurence larry laurie",
        "raymond ray",
        "terence terrence terry",
        "timothy tim timmy",
        "philip phillip phil pip",
        "gregory greg",
        "jeffrey geoffrey jeff geoff",
        "aisha ayesha aysha",
        "fatima fatimah fatma",
        "ahmed ahmad ahmet",
        "yusuf yousef yusef",
        "ibrahim abraham abe",
        "sean shaun shawn",
        "siobhan shivaun",
        "niamh neve neave",
        "leigh lee",
        "zoe zoey",
        "kayleigh kayley kaylee kayla",
        "jayden jaden jaiden",
        "aidan aiden ayden",
        "callum calum",
        "lewis louis",
        "louise louisa lou",
        "mackenzie mckenzie kenzie",
        "teagan teegan tegan",
    )
)

_NAME_TO_GROUPS: dict[str, tuple[int, ...]] = {}
for _index, _group in enumerate(NAME_GROUPS):
    for _name in _group:
        _NAME_TO_GROUPS[_name] = (*_NAME_TO_GROUPS.get(_name, ()), _index)

# The longest key the database column holds (Person.last_name_key, Alias.last_name_key).
KEY_LENGTH = 20


def normalise(name: str) -> str:
    """Lower case, accents removed, punctuation other than hyphens and apostrophes dropped, single spaces.

    >>> normalise("  Zoë   O’Brien-Smith ")
    "zoe o'brien-smith"
    """
    text = unicodedata.normalize("NFKD", (name or "").replace("\u2019", "'")).casefold()
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[^\w\s'-]|[\d_]", " ", text)
    return " ".join(text.split())


def letters_only(name: str) -> str:
    """The name as plain a-z letters, for phonetic codes that only understand those.

    >>> letters_only("O'Brien-Smith")
    'obriensmith'
    """
    return re.sub(r"[^a-z]", "", normalise(name))


def variants(name: str) -> frozenset[str]:
    """Every known variant of a first name, the name itself included, all normalised.

    >>> sorted(variants("Bill"))[:4]
    ['bill', 'billy', 'liam', 'wil']
    """
    key = normalise(name)
    names = {key} if key else set()
    for index in _NAME_TO_GROUPS.get(key, ()):
        names |= NAME_GROUPS[index]
    return frozenset(names)


def are_variants(a: str, b: str) -> bool:
    """True when the two first names are different forms of the same name (Bill and William).

    >>> are_variants("Katie", "Kathryn"), are_variants("Bill", "Bob")
    (True, False)
    """
    groups_a = set(_NAME_TO_GROUPS.get(normalise(a), ()))
    return bool(groups_a & set(_NAME_TO_GROUPS.get(normalise(b), ())))


@lru_cache(maxsize=4096)
def phonetic_key(name: str) -> str:
    """The indexed sounds-alike key for a surname: its Metaphone code.

    Names with no a-z letters (written in another script) keep their normalised spelling as the key, so
    they still find each other.

    >>> phonetic_key("Smyth") == phonetic_key("Smith") == "SM0"
    True
    """
    letters = letters_only(name)
    key = (jellyfish.metaphone(letters) if letters else "") or normalise(name).replace(" ", "")
    return key[:KEY_LENGTH].upper()


def sound_alike(a: str, b: str) -> bool:
    """True when the names share a Metaphone or Soundex code (Hartley and Hartly, Smith and Schmidt).

    >>> sound_alike("Smith", "Schmidt"), sound_alike("Hartley", "Jones")
    (True, False)
    """
    letters_a, letters_b = letters_only(a), letters_only(b)
    if not letters_a or not letters_b:
        return False
    return phonetic_key(a) == phonetic_key(b) or jellyfish.soundex(letters_a) == jellyfish.soundex(letters_b)


def split_full_name(text: str) -> tuple[str, str]:
    """Split what a user typed into (first name, last name): "First Last" or "Last, First".

    One word is returned as the last name; the search also tries it as a first name.

    >>> split_full_name("Bill  Smith"), split_full_name("Smith"), split_full_name("Smith, Mary Ann")
    (('Bill', 'Smith'), ('', 'Smith'), ('Mary', 'Smith'))
    """
    if "," in (text or ""):
        last, _, first = text.partition(",")
        return (first.split() or [""])[0], (last.split() or [""])[-1]
    words = (text or "").split()
    if not words:
        return "", ""
    if len(words) == 1:
        return "", words[0]
    return words[0], words[-1]


# Characters a person's name may not contain, because nobody can see them, or they change how the text around
# them is shown, or they are pictures: a name holding one is saved but can never be found by typing it.
# Bidirectional controls (a right-to-left override makes "Smith" show as "htimS") are named on their own.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_EMOJI_PARTS = (
    (0x1F3FB, 0x1F3FF),  # skin-tone modifiers
    (0xFE00, 0xFE0F),  # variation selectors (text or emoji presentation)
    (0x20E3, 0x20E3),  # the keycap that turns 1 into an emoji
    (0xE0020, 0xE007F),  # tag characters (flags of England, Scotland and Wales)
)


def _describe(char: str) -> str:
    name = unicodedata.name(char, "").lower()
    return f"{name} (U+{ord(char):04X})" if name else f"U+{ord(char):04X}"


def name_problem(name: str) -> str | None:
    """Why this name cannot be saved, as the end of a sentence that starts with the field's label, or None.

    Letters in any script, accents (typed either way), spaces, hyphens, apostrophes and full stops are all fine.
    Zero-width and other invisible characters, soft hyphens, bidirectional controls, control characters (tabs,
    line breaks), private-use and unassigned characters, and emoji or other pictographic symbols are not.

    >>> name_problem("Zoë O’Brien-Smith") is None
    True
    >>> name_problem("Sm" + chr(0x200B) + "ith")
    'must not contain an invisible character, zero width space (U+200B). Type the name again rather than pasting it'
    """
    for char in name or "":
        category = unicodedata.category(char)
        code = ord(char)
        if char in BIDI_CONTROLS:
            return (f"must not contain a hidden character that changes the direction text is shown in, "
                    f"{_describe(char)}. Type the name again rather than pasting it")
        if category in ("Cc", "Zl", "Zp"):
            return (f"must not contain a control character such as a tab or a line break (U+{code:04X}). "
                    "Type the name on one line")
        if category == "Cf":
            return (f"must not contain an invisible character, {_describe(char)}. "
                    "Type the name again rather than pasting it")
        if category in ("Co", "Cs", "Cn"):
            return f"must not contain a character that cannot be shown (U+{code:04X})"
        if category in ("So", "Me") or any(low <= code <= high for low, high in _EMOJI_PARTS):
            return f"must not contain emoji or symbols ({char}). Use letters, spaces, hyphens and apostrophes"
    return None


def name_error(label: str, name: str) -> str | None:
    """The whole message for a name field: "Last name must not contain ...", or None when the name is fine."""
    problem = name_problem(name)
    return f"{label[:1].upper()}{label[1:]} {problem}" if problem else None
