from townhall.core.tables import Column, Table
from townhall.foundation import models as m


class ServiceLifeTable(Table):
    model = m.ServiceLife
    columns = [
        Column("kind", link=True, label="Kind of component"),
        Column("years", label="Expected service life (years)"),
    ]


class UnitCostTable(Table):
    model = m.UnitCost
    columns = [
        Column("kind", link=True, label="Kind of component"),
        Column("model_number", label="Model"),
        Column("capital", label="Capital cost per unit"),
        Column("operating", label="Yearly operating change per unit"),
    ]


class ReplacementSettingsTable(Table):
    model = m.ReplacementSettings
    columns = [
        Column("inflation_percent", link=True, label="Inflation rate (% a year)"),
        Column("horizon", label="Fiscal years covered"),
        Column("start_month", label="Fiscal year starts in month"),
    ]


class CapitalCapTable(Table):
    model = m.CapitalCap
    columns = [
        Column("fiscal_year", link=True, label="Fiscal year"),
        Column("amount", label="Capital available"),
    ]
