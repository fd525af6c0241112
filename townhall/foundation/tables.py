from townhall.core.tables import Column, Table
from townhall.foundation import models as m


class ServiceLifeTable(Table):
    model = m.ServiceLife
    columns = [
        Column("kind", link=True, label="Kind of component"),
        Column("years", label="Expected service life (years)"),
    ]
