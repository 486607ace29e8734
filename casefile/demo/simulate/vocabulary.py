"""The invented words of a simulated authority: names, ethnicities, sources, concerns, plans, and the shares they
are drawn at."""

from __future__ import annotations

import unicodedata

from casefile.demo.names import BOYS_NAMES, GIRLS_NAMES

# Invented people ------------------------------------------------------------------------------------------

# Children's names: demo/names.py's lists plus more names given in England since about 2008.
GIRLS = GIRLS_NAMES + ["Emily", "Sophie", "Lucy", "Daisy", "Phoebe", "Scarlett", "Erin", "Megan", "Layla", "Hannah",
                       "Fatima", "Maryam", "Nevaeh", "Willow", "Harper", "Rosie", "Molly", "Esme", "Summer", "Lola"]
BOYS = BOYS_NAMES + ["James", "William", "Henry", "Joshua", "Max", "Lucas", "Theo", "Archie", "Logan", "Reggie",
                     "Ibrahim", "Yusuf", "Dylan", "Finley", "Harvey", "Lewis", "Connor", "Bailey", "Ryan", "Ollie"]
# Approximate shares for children in need (DfE CIN 2025 by ethnicity, rounded); blanks are planted separately.
ETHNICITIES = {"WBRI": 0.64, "WOTH": 0.055, "WIRI": 0.004, "WIRT": 0.004, "WROM": 0.01, "MWBC": 0.03,
               "MWBA": 0.012, "MWAS": 0.015, "MOTH": 0.035, "AIND": 0.015, "APKN": 0.03, "ABAN": 0.012,
               "AOTH": 0.022, "BCRB": 0.012, "BAFR": 0.045, "BOTH": 0.013, "CHNE": 0.003, "OOTH": 0.025,
               "REFU": 0.004, "NOBT": 0.01}
# Age at a child's first referral, in years (approximate from the CIN age profile).
FIRST_REFERRAL_AGE = {(0, 1): 0.10, (1, 5): 0.20, (5, 10): 0.28, (10, 16): 0.35, (16, 17): 0.07}
REFERRAL_SOURCES = {"6": 0.29, "2A": 0.20, "3A": 0.03, "3B": 0.025, "3C": 0.01, "3D": 0.015, "3E": 0.025,
                    "3F": 0.045, "5A": 0.03, "5B": 0.04, "5C": 0.02, "5D": 0.04, "1A": 0.035, "1B": 0.01,
                    "1C": 0.01, "1D": 0.01, "4": 0.02, "7": 0.03, "8": 0.05, "9": 0.012, "10": 0.008}
PRIMARY_NEEDS = {"N1": 0.57, "N2": 0.10, "N3": 0.03, "N4": 0.08, "N5": 0.14, "N6": 0.02, "N7": 0.003,
                 "N8": 0.03, "N9": 0.017, "N0": 0.01}
# Fewer referrals when schools are closed: schools make a fifth of them.
MONTH_WEIGHT = {1: 1.0, 2: 1.0, 3: 1.1, 4: 0.95, 5: 1.05, 6: 1.1, 7: 1.05, 8: 0.7, 9: 1.0, 10: 1.1, 11: 1.1, 12: 0.85}
OUT_OF_HOURS_WEIGHT = 0.08  # weekends and bank holidays: the emergency duty team still takes referrals

AREAS = ["North", "South", "East", "West", "Central", "Riverside", "Hillside", "Valley", "Coast", "Park"]
FAMILY_HUBS = [f"Family Hub {area}" for area in AREAS]

THEMES = {
    "NEG": ("neglect", ["arrives at school hungry and in the same clothes most days",
                        "home conditions are poor: little food, dirty bedding, no working heating",
                        "missed health appointments and untreated tooth decay"]),
    "EMO": ("emotional abuse", ["domestic abuse at home, witnessed by the children",
                                "is frightened of a parent's shouting and is often told they are useless",
                                "police called to arguments at home three times this year"]),
    "PHY": ("physical abuse", ["bruising to the upper arm seen at school", "a burn with no clear explanation",
                               "told a teacher they were hit with a belt"]),
    "SAB": ("sexual abuse", ["disclosed sexual touching by an adult visitor",
                             "concerns about an older adult contacting them online"]),
    "MUL": ("several kinds of harm", ["neglect of basic care and violence between the adults",
                                      "parental drug use, neglect and bruising"]),
}
OTHER_CONCERNS = ["a parent's mental health has worsened and they are struggling to cope",
                  "attendance at school has fallen below 70%", "going missing overnight twice this month",
                  "a parent's alcohol use", "the family is homeless and sofa-surfing",
                  "behaviour at home has broken down and a parent asked for help",
                  "a young carer for a parent with a long-term illness", "anxiety and self-harm reported by school"]
FACTORS = {"3B": 0.22, "4B": 0.20, "16A": 0.14, "17A": 0.10, "2B": 0.07, "1B": 0.05, "4A": 0.05, "3A": 0.04,
           "10A": 0.02, "24A": 0.02, "11A": 0.015, "15A": 0.02, "7A": 0.015, "18C": 0.015, "20": 0.02}
CHILDS_WORDS = ["I like it when Nan comes round.", "Mum cries a lot and I make the tea.", "I don't like the shouting.",
                "School is OK. I have a friend called Jay.", "I want to stay at home with my brother.",
                "Sometimes there's no food for breakfast.", "I feel safe at Aunty's house.",
                "I wish Dad would stop drinking.", "I'm fine, I don't want to talk about it.",
                "I like football and my PlayStation.", "It's better now the police don't come."]
OBSERVATIONS = ["Smiled and babbled, reached for mum when picked up.", "Clean, well dressed and alert; played with "
                "blocks.", "Nappy very wet; quiet and watchful.", "Crawled to the worker and explored the room."]
# What difference hearing the child made to the plan, and the father's views at closure (chosen from ids and
# dates, never drawn, so the random stream and every other journey stay as they were).
DIFFERENCES = ["Added time alone with the worker at school to the plan.",
               "Contact with dad moved to the family centre.",
               "A bedtime routine added to the plan, as they asked.", "Nan's after-school care written into the plan.",
               "The plan stays the same: they said things are better at home.", "Referred to the young carers' group."]
FATHERS_VIEWS = ["He agrees the case can close and will keep in touch with the school.",
                 "He is pleased things are calmer and wants to keep seeing the children at weekends.",
                 "He thinks the family still needs help and was told about the family hub."]
VAGUE_OWNERS = ["mum", "Mum", "parents", "Parents", "all professionals", "family", "Dad", "professionals"]
VAGUE_MEASURES = ["", "Ongoing", "ongoing", "To be monitored", "As above", "Engagement", "TBC"]
VAGUE_DESCRIPTIONS = ["Continue to engage with services", "Mum to work with professionals",
                      "Monitor the situation", "Support to be offered"]
OUTCOMES = {
    "NEG": [("{name} is clean, fed and dressed for the weather every day",
             [("Make breakfast for {name} before school every day", "breakfast club log and school reports"),
              ("Wash {name}'s school uniform twice a week", "health visitor's and school's checks")]),
            ("{name}'s health needs are met",
             [("Take {name} to the dentist and every health appointment", "attendance confirmed by the GP")])],
    "EMO": [("{name} lives free from domestic abuse",
             [("Complete the domestic abuse programme (12 sessions)", "attendance record from the provider"),
              ("Call the police if the ex-partner comes to the house", "no missed call-outs in police checks")]),
            ("{name} feels calm and safe at home",
             [("Attend parenting sessions every Tuesday", "sessions attended and the worker's observations")])],
    "PHY": [("{name} is not hurt by anyone at home",
             [("Use the agreed safety plan when angry", "no new injuries; {name} tells the worker at each visit")])],
    "SAB": [("{name} has no contact with the alleged abuser",
             [("Keep the alleged abuser away from the house", "police checks and {name}'s own account")])],
    "CIN": [("{name} goes to school every day",
             [("Walk {name} to school each morning", "attendance above 95% on the school register")]),
            ("The family has a secure home",
             [("Bid for a two-bedroom property every week", "bids shown on the housing portal")])],
}
OUTCOMES["MUL"] = OUTCOMES["NEG"] + OUTCOMES["EMO"]
CONTINGENCIES = [
    "If the children are found alone again, hold a strategy discussion the same day.",
    "If attendance falls below 80% for two weeks, reconvene the core group within five working days.",
    "If the ex-partner returns to the home, the police will be called and a legal planning meeting held.",
    "If home conditions are poor at two visits running, the plan will be reviewed within ten working days.",
]


FACTOR_FOR_CATEGORY = {"NEG": "16A", "EMO": "17A", "PHY": "18C", "SAB": "19C", "MUL": "16A"}
NOTE_SUBJECTS = ["Call with school", "Call with the health visitor", "Call with mum", "Information from the police"]
STRATEGY_AGENCIES = [("social_care", "Social worker"), ("police", "Detective constable"), ("health", "Named nurse"),
                     ("education", "Designated safeguarding lead")]
S47_RATIONALE = {
    "substantiated_at_risk": "Concerns substantiated: continuing risk of significant harm, so an initial conference.",
    "substantiated_not_at_risk": "Concerns substantiated, but the risk is not continuing: a child in need plan.",
    "not_substantiated": "Concerns not substantiated after enquiries with the police, health and school.",
}
EVIDENCE = {"done": "Confirmed by the school and seen at visits.", "partly": "Started, but not every week.",
            "not_done": "Not started; the family say they will."}
LANGUAGES = ["Polish", "Urdu", "Romanian", "Arabic", "Somali", "Bengali", "Punjabi"]
# Religion, in about the shares of England's 2021 census (Christian 46%, no religion 37%, Muslim 7%, others), chosen
# from the child's id rather than drawn, so adding it changed no other stream.
RELIGIONS = ["Christian"] * 9 + ["No religion"] * 8 + ["Muslim", "Hindu", "Sikh"]
RESTRICTIONS = ["adoption", "staff_relative", "high_profile"]


def ascii_name(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")
