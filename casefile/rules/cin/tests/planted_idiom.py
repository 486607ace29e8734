"""Planted violations of the two rules written as the idiom (100 and 8500), so the parity test covers them
before the rule helpers' own plants arrive. A rule may be planted in several modules: every plant is checked.

8500 cannot be compared with the community validator: it stops with an error on any file holding a child with
an empty LAchildID (pandas cannot turn the missing row id into an integer in `include_issue_child`), and a child
id of spaces is to it a present id (rule 1580 flags it instead). So 8500's plant goes in a file of its own, and
its difference is listed below.
"""

from casefile.rules.cin.tests.builder import HEADER, Planted, clean_child, planted_id


def _without_id() -> dict:
    child = clean_child(planted_id("8500"))
    child["LAchildID"] = ""
    return child


PLANTED: dict[str, Planted] = {
    # The reference date is not 31 March of the collection year.
    "100": Planted(children=[clean_child(planted_id("100"))], header={**HEADER, "ReferenceDate": "2026-03-30"}),
    # In a file of its own (the standard header): the community validator stops on it.
    "8500": Planted(children=[clean_child(planted_id("8500", 2)), _without_id()], header=dict(HEADER)),
}

DISAGREEMENTS: dict[str, str] = {
    "8500": "The community validator stops with an error on a file holding a child with an empty LAchildID, so it "
            "reports nothing for that file; Casefile reports 8500 for that child.",
}
