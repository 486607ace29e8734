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
