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


class CapitalCapTable(Table):
    model = m.CapitalCap
    columns = [
        Column("fiscal_year", link=True, label="Fiscal year"),
        Column("amount", label="Capital available"),
    ]
