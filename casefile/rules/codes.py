"""Code lists from the CIN census (2024-25 onwards), so returns are a projection of the record.

Source: DfE CIN census specification, as enumerated in the community schemas and validator rules
(see ../shared/reference/data-standards.md, section 1.3).
"""

ETHNICITY = {
    "WBRI": "White British",
    "WIRI": "White Irish",
    "WIRT": "Traveller of Irish heritage",
    "WOTH": "Any other White background",
    "WROM": "Gypsy/Roma",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Black Caribbean",
    "BAFR": "Black African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}

DISABILITY = {
    "NONE": "No disability",
    "MOB": "Mobility",
    "HAND": "Hand function",
    "PC": "Personal care",
    "INC": "Incontinence",
    "COMM": "Communication",
    "LD": "Learning",
    "HEAR": "Hearing",
    "VIS": "Vision",
    "BEH": "Behaviour",
    "CON": "Consciousness",
    "AUT": "Autism or Asperger syndrome",
    "DDA": "Other disability",
}

SEX = {
    "M": "Male",
    "F": "Female",
    "U": "Unknown or not recorded (required for an unborn child)",
}

UPN_UNKNOWN = {
    "UN1": "Child is now over compulsory school age",
    "UN2": "Pupil is not in school",
    "UN3": "Child is not of school age and has not yet been assigned a UPN",
    "UN4": "UPN not known for a child in school",
    "UN5": "Sources collating UPNs reflect discrepancy",
    "UN6": "Child is an unborn baby",
    "UN7": "Referral with no further action",
}


def choices(code_list: dict[str, str]) -> list[tuple[str, str]]:
    """(code, "CODE: label") pairs for form fields, keeping the census code visible to the user."""
    return [(code, f"{label} ({code})") for code, label in code_list.items()]
