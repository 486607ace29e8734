"""The community validator's rules for 2025-26 (csc-validator-be-cin 0.1.13, `python -m cin_validator list -r
cin2025_26`): 109 rules, 83 errors and 26 queries. test_parity.py checks this list against the oracle's own, so
it cannot drift, and every code here against Casefile's pack and its planted violations."""

from casefile.rules.cin.engine import ERROR, QUERY

ORACLE_YEAR = "2025-26"

ORACLE_RULES: dict[str, str] = {
    "100": ERROR, "1103": ERROR, "1104": ERROR, "1105": ERROR, "1510": ERROR, "1520": ERROR, "1530": ERROR,
    "1540": ERROR, "1550": ERROR, "1560Q": QUERY, "1570": ERROR, "1580": ERROR, "2883": ERROR, "2884": ERROR,
    "2885": ERROR, "2886Q": QUERY, "2887Q": QUERY, "2888Q": QUERY, "2889": ERROR, "2990": ERROR, "2991Q": QUERY,
    "4000": ERROR, "4001": ERROR, "4003": ERROR, "4004": ERROR, "4008": ERROR, "4009Q": QUERY, "4010": ERROR,
    "4011": ERROR, "4012Q": QUERY, "4013": ERROR, "4014": ERROR, "4015": ERROR, "4016": ERROR, "4017": ERROR,
    "4180": ERROR, "4220": ERROR, "8500": ERROR, "8510": ERROR, "8520": ERROR, "8525Q": QUERY, "8530Q": QUERY,
    "8535Q": QUERY, "8540": ERROR, "8545Q": QUERY, "8555Q": QUERY, "8565": ERROR, "8568": ERROR, "8569Q": QUERY,
    "8585Q": QUERY, "8590": ERROR, "8600": ERROR, "8606": ERROR, "8608": ERROR, "8610": ERROR, "8614": ERROR,
    "8615": ERROR, "8620": ERROR, "8630": ERROR, "8640": ERROR, "8650": ERROR, "8670Q": QUERY, "8675Q": QUERY,
    "8696": ERROR, "8715": ERROR, "8720": ERROR, "8730": ERROR, "8736": ERROR, "8740": ERROR, "8750": ERROR,
    "8770Q": QUERY, "8772": ERROR, "8775Q": QUERY, "8790": ERROR, "8794": ERROR, "8805": ERROR, "8810": ERROR,
    "8815": ERROR, "8816": ERROR, "8820": ERROR, "8825Q": QUERY, "8831": ERROR, "8832": ERROR, "8839": ERROR,
    "8840": ERROR, "8841": ERROR, "8842Q": QUERY, "8863Q": QUERY, "8866": ERROR, "8867": ERROR, "8868": ERROR,
    "8869": ERROR, "8870Q": QUERY, "8873Q": QUERY, "8875": ERROR, "8890": ERROR, "8896": ERROR, "8897Q": QUERY,
    "8898": ERROR, "8905": ERROR, "8910": ERROR, "8915": ERROR, "8920": ERROR, "8925": ERROR, "8930": ERROR,
    "8935": ERROR, "8940": ERROR, "8945Q": QUERY, "8950Q": QUERY,
}
