from townhall.core.tables import Column, Table
from townhall.estate import models as m

DEPT = Column("owner_department", label="Department")


class PersonTable(Table):
    model = m.Person
    columns = [
        Column("name", link=True),
        Column("title"),
        DEPT,
        Column("email"),
        Column("phone"),
        Column("is_it_staff"),
    ]


class LocationTable(Table):
    model = m.Location
    columns = [Column("name", link=True), Column("kind"), Column("address"), DEPT]


class VendorTable(Table):
    model = m.Vendor
    columns = [Column("name", link=True), Column("website"), Column("support_contact")]


class ServiceTable(Table):
    model = m.Service
    columns = [Column("name", link=True), DEPT, Column("audience")]


class SystemTable(Table):
    model = m.System
    columns = [
        Column("name", link=True),
        DEPT,
        Column("vendor"),
        Column("lifecycle"),
        Column("hosting"),
        Column("criticality", label="Tier"),
        Column("end_of_support"),
        Column("time_disposition", label="TIME"),
    ]


class ComponentTable(Table):
    model = m.Component
    columns = [
        Column("name", link=True),
        Column("kind"),
        DEPT,
        Column("manufacturer"),
        Column("model_number"),
        Column("location"),
        Column("install_date"),
        Column("end_of_support"),
        Column("status"),
    ]


class ContractTable(Table):
    model = m.Contract
    columns = [
        Column("title", link=True),
        Column("vendor"),
        Column("number"),
        DEPT,
        Column("kind"),
        Column("end"),
        Column("notice_deadline", label="Notice by"),
        Column("annual_cost"),
    ]


class RedundancyGroupTable(Table):
    model = m.RedundancyGroup
    columns = [Column("name", link=True), DEPT, Column("description")]


class DependencyTable(Table):
    model = m.Dependency
    also_prefetch = [
        *(f"from_{end}" for end in m.Dependency.ENDS),
        *(f"to_{end}" for end in m.Dependency.TARGETS),
    ]
    columns = [
        Column("source", label="What depends", sortable=False, link=True),
        Column("kind"),
        Column("target", label="On what", sortable=False),
        DEPT,
    ]
