from townhall.accounts.models import User
from townhall.core.tables import Column, Table


class UserTable(Table):
    model = User
    columns = [
        Column("username", link=True),
        Column("first_name"),
        Column("last_name"),
        Column("role"),
        Column("department"),
        Column("is_active", label="Active"),
        Column("last_login", label="Last sign-in"),
    ]
