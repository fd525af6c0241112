from townhall.core.forms import RecordForm
from townhall.foundation import models as m


class ServiceLifeForm(RecordForm):
    class Meta:
        model = m.ServiceLife
        fields = ["kind", "years", "notes"]
