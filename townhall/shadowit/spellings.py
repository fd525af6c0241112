"""How finance and identity exports write shadow IT's choices.

Read by the importer beside each choice's own value and label (see `estate/spellings.py`
for the rules: one word on one value only; case, spaces and punctuation do not count).
"""

SPELLINGS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "purchase": {
        "paid_by": {
            "card": ("p card", "pcard", "p-card", "procurement card", "credit card", "card"),
            "payables": ("ap", "a/p", "payables", "invoice", "voucher", "check", "ach"),
        },
    },
    "signinapp": {
        "system": {
            "entra": (
                "entra",
                "microsoft entra id",
                "azure ad",
                "azure active directory",
                "aad",
            ),
            "okta": ("okta workforce identity", "okta sso"),
        },
    },
}
