from townhall.core.filters import RecordFilterSet
from townhall.foundation import models as m


class ServiceLifeFilterSet(RecordFilterSet):
    class Meta:
        model = m.ServiceLife
        fields = ["kind"]
