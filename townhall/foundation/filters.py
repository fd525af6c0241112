from townhall.core.filters import RecordFilterSet
from townhall.foundation import models as m


class ServiceLifeFilterSet(RecordFilterSet):
    class Meta:
        model = m.ServiceLife
        fields = ["kind"]


class UnitCostFilterSet(RecordFilterSet):
    class Meta:
        model = m.UnitCost
        fields = ["kind"]


class CapitalCapFilterSet(RecordFilterSet):
    class Meta:
        model = m.CapitalCap
        fields = ["fiscal_year"]
