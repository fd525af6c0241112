"""How position lists and skills surveys write the people module's choices.

Read by the importer beside each choice's own value and label (see `estate/spellings.py`
for the rules: one word on one value only; case, spaces and punctuation do not count).
"""

SPELLINGS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "position": {
        "placement": {
            "central": ("central", "central it", "it department", "enterprise it"),
            "embedded": ("embedded", "department", "departmental", "department it"),
        },
    },
    "team": {
        "placement": {
            "central": ("central", "central it", "it department", "enterprise it"),
            "embedded": ("embedded", "department", "departmental", "department it"),
        },
    },
    "operatingmodel": {
        "model": {
            "central": ("central", "centralized", "centralised"),
            "hybrid": ("hybrid", "federated", "shared"),
            "decentralized": ("decentralized", "decentralised", "department run"),
        },
    },
}
