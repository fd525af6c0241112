from townhall.core.tables import Column, Table
from townhall.org.models import Department, Document


class DepartmentTable(Table):
    model = Department
    columns = [
        Column("name", link=True),
        Column("code"),
        Column("parent", label="Part of"),
        Column("employees"),
        Column("tags", sortable=False),
    ]


class DocumentTable(Table):
    model = Document
    columns = [
        Column("title", link=True),
        Column("kind"),
        Column("owner_department", label="Department"),
        Column("effective_date"),
        Column("updated_at", label="Last changed"),
    ]
