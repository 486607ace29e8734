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
