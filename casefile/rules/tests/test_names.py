import pytest

from casefile.rules import names


@pytest.mark.parametrize(("a", "b"), [
    ("Bill", "William"), ("Will", "William"), ("Billy", "Bill"), ("Katie", "Catherine"), ("Kathryn", "Katie"),
    ("Mohammed", "Muhammad"), ("Mohamed", "Mohammed"), ("Liz", "Elizabeth"), ("Chris", "Christine"),
    ("Chris", "Christopher"),
])
def test_known_variants_of_a_first_name_are_recognised(a, b):
    assert names.are_variants(a, b)
    assert names.are_variants(b, a)


@pytest.mark.parametrize(("a", "b"), [("Bill", "Bob"), ("Christopher", "Christine"), ("Lily", "Lola")])
def test_different_names_are_not_variants_even_when_they_share_a_short_form(a, b):
    assert not names.are_variants(a, b)


def test_variants_are_case_and_space_insensitive():
    assert names.are_variants("  BILL ", "william")
    assert "william" in names.variants("Bill")


def test_a_name_with_no_known_variants_is_its_own_only_variant():
    assert names.variants("Zebedee") == frozenset({"zebedee"})
    assert names.variants("") == frozenset()


def test_normalising_removes_accents_punctuation_and_extra_spaces():
    assert names.normalise(" Zoë  O’Brien ") == "zoe o'brien"
    assert names.normalise("Anne-Marie!") == "anne-marie"
    assert names.normalise("José2") == "jose"


@pytest.mark.parametrize(("a", "b"), [("Smith", "Smyth"), ("Hartley", "Hartly"), ("McDonald", "Macdonald"),
                                      ("Smith", "Schmidt"), ("O'Brien", "OBrien")])
def test_surnames_that_sound_alike_are_recognised(a, b):
    assert names.sound_alike(a, b)


@pytest.mark.parametrize(("a", "b"), [("Hartley", "Jones"), ("Smith", "Taylor"), ("", "Smith")])
def test_surnames_that_sound_different_are_not_confused(a, b):
    assert not names.sound_alike(a, b)


def test_the_phonetic_key_fits_its_indexed_column_and_ignores_spelling():
    assert names.phonetic_key("Smith") == names.phonetic_key("smyth") == "SM0"
    assert len(names.phonetic_key("Wolfeschlegelsteinhausenbergerdorff-Featherstonehaugh")) <= names.KEY_LENGTH


def test_a_name_in_another_script_keeps_a_key_of_its_own():
    assert names.phonetic_key("Иванов") == "ИВАНОВ"
    assert names.phonetic_key("Иванов") != names.phonetic_key("Петров")


@pytest.mark.parametrize(("typed", "expected"), [
    ("Bill Smith", ("Bill", "Smith")), ("Smith", ("", "Smith")), ("Mary Ann Smith", ("Mary", "Smith")),
    ("Smith, Mary", ("Mary", "Smith")), ("  ", ("", "")),
])
def test_a_typed_name_is_split_into_first_and_last(typed, expected):
    assert names.split_full_name(typed) == expected


# Names that could never be found by typing them are refused, and the message says why.

@pytest.mark.parametrize("name", [
    "Zoë", "Zoe\u0308",  # the accent typed as one character or two
    "O'Brien", "O’Brien", "Smith-Jones", "St. John", "Mary Ann", "de la Cruz",
    "Łukasz", "Þórr", "Nguyễn", "محمد", "Мария", "张伟", "अनन्या", "Ὀδυσσεύς",
])
def test_names_in_any_script_with_accents_hyphens_and_apostrophes_are_fine(name):
    assert names.name_problem(name) is None


@pytest.mark.parametrize(("name", "expected"), [
    ("Sm\u200bith", "must not contain an invisible character, zero width space (U+200B)"),
    ("Sm\u200dith", "must not contain an invisible character, zero width joiner (U+200D)"),
    ("Hart\u00adley", "must not contain an invisible character, soft hyphen (U+00AD)"),
    ("\ufeffSmith", "must not contain an invisible character, zero width no-break space (U+FEFF)"),
    ("Smi\u2060th", "must not contain an invisible character, word joiner (U+2060)"),
    ("\u202eSmith", "changes the direction text is shown in, right-to-left override (U+202E)"),
    ("Smith\u2067", "changes the direction text is shown in, right-to-left isolate (U+2067)"),
    ("Smith\u200f", "changes the direction text is shown in, right-to-left mark (U+200F)"),
    ("Smith\tJones", "must not contain a control character such as a tab or a line break (U+0009)"),
    ("Smith\nJones", "(U+000A)"),
    ("Smith\x00", "(U+0000)"),
    ("Smith\u2028", "(U+2028)"),
    ("Smith\ue000", "must not contain a character that cannot be shown (U+E000)"),
    ("Lily 😀", "must not contain emoji or symbols (😀)"),
    ("Lily ❤", "must not contain emoji or symbols (❤)"),
    ("Lily \U0001f1ec\U0001f1e7", "must not contain emoji or symbols"),
    ("Lily\U0001f3fd", "must not contain emoji or symbols"),
    ("Lily\ufe0f", "must not contain emoji or symbols"),
])
def test_invisible_characters_direction_controls_control_characters_and_emoji_are_refused_saying_why(
        name, expected):
    assert expected in names.name_problem(name)


def test_the_message_names_the_field():
    assert names.name_error("last name", "Sm\u200bith") == (
        "Last name must not contain an invisible character, zero width space (U+200B). "
        "Type the name again rather than pasting it")
    assert names.name_error("Last name", "Smith") is None
