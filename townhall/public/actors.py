"""Who acts for a resident on the public site."""


class Resident:
    """The actor for what a resident does on the public site: not an account, no
    password; it may add input and confirm its own, nothing else."""

    is_authenticated = True
    is_active = True
    role = "resident"
    pk = None
    department_id = None
    username = "resident"

    def __str__(self) -> str:
        return "resident"


RESIDENT = Resident()
