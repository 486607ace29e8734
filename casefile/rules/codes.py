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
NO_DISABILITY = "NONE"

SEX = {
    "M": "Male",
    "F": "Female",
    "U": "Unknown or not recorded (required for an unborn child)",
}
SEX_MALE, SEX_FEMALE, SEX_UNKNOWN = "M", "F", "U"

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

REFERRAL_SOURCE = {
    "1A": "Individual: family member, relative or carer",
    "1B": "Individual: acquaintance (including neighbours and child minders)",
    "1C": "Individual: self",
    "1D": "Individual: other",
    "2A": "Schools",
    "2B": "Education services",
    "3A": "Health services: GP",
    "3B": "Health services: health visitor",
    "3C": "Health services: school nurse",
    "3D": "Health services: other primary health services",
    "3E": "Health services: A&E (emergency department)",
    "3F": "Health services: other",
    "4": "Housing (local authority or housing association)",
    "5A": "LA services: social care, for example adult social care",
    "5B": "LA services: other internal department",
    "5C": "LA services: external, for example from another local authority",
    "5D": "Early help",
    "6": "Police",
    "7": "Other legal agency",
    "8": "Other",
    "9": "Anonymous",
    "10": "Unknown",
}
STEP_UP_FROM_EARLY_HELP = "5D"
POLICE = "6"
ANONYMOUS = "9"
SOURCE_UNKNOWN = "10"
# Sources with nobody to write back to: no referrer name is required, and no outcome letter is owed.
NO_REFERRER_SOURCES = frozenset({ANONYMOUS, SOURCE_UNKNOWN})

PRIMARY_NEED = {
    "N1": "Abuse or neglect",
    "N2": "Child's disability",
    "N3": "Parental illness or disability",
    "N4": "Family in acute stress",
    "N5": "Family dysfunction",
    "N6": "Socially unacceptable behaviour",
    "N7": "Low income",
    "N8": "Absent parenting",
    "N9": "Cases other than children in need",
    "N0": "Not stated",
}

REASON_FOR_CLOSURE = {
    "RC1": "Adopted",
    "RC2": "Died",
    "RC3": "Child arrangements order",
    "RC4": "Special guardianship order",
    "RC5": "Transferred to services of another local authority",
    "RC6": "Transferred to adult social care",
    "RC7": "Services ceased for any other reason, including the child no longer being in need",
    "RC8": "Case closed after assessment, no further action",
    "RC9": "Case closed after assessment, referred to early help",
}
DIED = "RC2"
CLOSED_AFTER_ASSESSMENT_NFA = "RC8"
CLOSED_TO_EARLY_HELP = "RC9"
# Closure reasons that say an assessment was done, so one must have been authorised.
CLOSED_AFTER_ASSESSMENT = frozenset({CLOSED_AFTER_ASSESSMENT_NFA, CLOSED_TO_EARLY_HELP})

CATEGORY_OF_ABUSE = {
    "NEG": "Neglect",
    "PHY": "Physical abuse",
    "EMO": "Emotional abuse",
    "SAB": "Sexual abuse",
    "MUL": "Multiple",
}

# Factors identified at assessment (CIN census 2022 onwards). 18A and 19A are retired: the validator queries them.
ASSESSMENT_FACTORS = {
    "1A": "Alcohol misuse: concerns about the child",
    "1B": "Alcohol misuse: concerns about the parent or carer",
    "1C": "Alcohol misuse: concerns about another person living in the household",
    "2A": "Drug misuse: concerns about the child",
    "2B": "Drug misuse: concerns about the parent or carer",
    "2C": "Drug misuse: concerns about another person living in the household",
    "3A": "Domestic abuse: concerns about the child being the subject",
    "3B": "Domestic abuse: concerns about the parent or carer being the subject",
    "3C": "Domestic abuse: concerns about another person living in the household being the subject",
    "4A": "Mental health: concerns about the child",
    "4B": "Mental health: concerns about the parent or carer",
    "4C": "Mental health: concerns about another person living in the household",
    "5A": "Learning disability: concerns about the child",
    "5B": "Learning disability: concerns about the parent or carer",
    "5C": "Learning disability: concerns about another person living in the household",
    "6A": "Physical disability or illness: concerns about the child",
    "6B": "Physical disability or illness: concerns about the parent or carer",
    "6C": "Physical disability or illness: concerns about another person living in the household",
    "7A": "Young carer",
    "8B": "Privately fostered: overseas child who intends to return",
    "8C": "Privately fostered: overseas child who intends to stay",
    "8D": "Privately fostered: UK child in education or training",
    "8E": "Privately fostered: UK child whose parents cannot care for them",
    "8F": "Privately fostered: other",
    "9A": "Unaccompanied asylum-seeking child",
    "10A": "Going or being missing",
    "11A": "Child sexual exploitation",
    "12A": "Trafficking",
    "13A": "Gangs",
    "14A": "Socially unacceptable behaviour",
    "15A": "Self-harm",
    "16A": "Neglect",
    "17A": "Emotional abuse",
    "18B": "Physical abuse: child on child",
    "18C": "Physical abuse: adult on child",
    "19B": "Sexual abuse: child on child",
    "19C": "Sexual abuse: adult on child",
    "20": "Other",
    "21": "No factors identified",
    "22A": "Female genital mutilation",
    "23A": "Abuse linked to faith or belief",
    "24A": "Child criminal exploitation",
}
NO_FACTORS = "21"
