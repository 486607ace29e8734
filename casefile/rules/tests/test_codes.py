from casefile.rules import codes


def test_the_census_lists_have_the_published_number_of_codes():
    assert len(codes.ETHNICITY) == 20
    assert len(codes.DISABILITY) == 13
    assert set(codes.SEX) == {"M", "F", "U"}
    assert set(codes.UPN_UNKNOWN) == {f"UN{n}" for n in range(1, 8)}


def test_the_census_codes_are_the_ones_in_the_specification():
    assert list(codes.ETHNICITY) == [
        "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND",
        "APKN", "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
    ]
    assert list(codes.DISABILITY) == [
        "NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA",
    ]


def test_choices_keep_the_census_code_visible():
    assert codes.choices(codes.SEX)[0] == ("M", "Male (M)")
    assert ("NONE", "No disability (NONE)") in codes.choices(codes.DISABILITY)


def test_each_named_code_is_in_its_census_list_with_the_meaning_its_name_says():
    assert codes.REASON_FOR_CLOSURE[codes.DIED] == "Died"
    assert codes.REASON_FOR_CLOSURE[codes.CLOSED_AFTER_ASSESSMENT_NFA].endswith("no further action")
    assert codes.REASON_FOR_CLOSURE[codes.CLOSED_TO_EARLY_HELP].endswith("referred to early help")
    assert codes.CLOSED_AFTER_ASSESSMENT <= set(codes.REASON_FOR_CLOSURE)
    assert codes.REFERRAL_SOURCE[codes.POLICE] == "Police"
    assert codes.REFERRAL_SOURCE[codes.STEP_UP_FROM_EARLY_HELP] == "Early help"
    assert {codes.REFERRAL_SOURCE[code] for code in codes.NO_REFERRER_SOURCES} == {"Anonymous", "Unknown"}
    assert (codes.SEX[codes.SEX_MALE], codes.SEX[codes.SEX_FEMALE]) == ("Male", "Female")
    assert codes.SEX[codes.SEX_UNKNOWN].startswith("Unknown")
    assert codes.DISABILITY[codes.NO_DISABILITY] == "No disability"
