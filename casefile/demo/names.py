"""Invented names and places shared by the demo authority (seed.py) and the simulated one (simulate/), and the
password every demo login shares. Plain data: it imports nothing, so both may use it without importing each
other."""

DEMO_PASSWORD = "casefile-demo"  # noqa: S105 - printed on purpose; only ever set when DEMO_MODE is on
POSTCODE_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters the inward code may use
STREET_KINDS = ["Road", "Street", "Close", "Avenue", "Lane", "Way", "Gardens", "Crescent", "Court", "Drive"]
# Faker's first names suit adults; children get names given to babies in England since 2007.
GIRLS_NAMES = ["Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Sophia", "Grace", "Freya",
               "Poppy", "Evie", "Ella", "Ruby", "Aisha", "Maya", "Zara", "Holly", "Chloe", "Jessica", "Millie"]
BOYS_NAMES = ["Oliver", "Noah", "George", "Arthur", "Muhammad", "Leo", "Harry", "Oscar", "Jack", "Charlie",
              "Jacob", "Thomas", "Alfie", "Freddie", "Riley", "Kai", "Mason", "Tyler", "Ethan", "Callum", "Jayden"]
NICKNAMES = {"Olivia": "Liv", "Isabella": "Bella", "Jessica": "Jess", "Thomas": "Tom", "Jacob": "Jake",
             "Muhammad": "Mo", "Alfred": "Alfie", "Callum": "Cal"}
