from townhall.core.forms import RecordForm
from townhall.foundation import models as m


class ServiceLifeForm(RecordForm):
    class Meta:
        model = m.ServiceLife
        fields = ["kind", "years", "notes"]


class UnitCostForm(RecordForm):
    class Meta:
        model = m.UnitCost
        fields = ["kind", "model_number", "capital", "operating", "notes"]


class ReplacementSettingsForm(RecordForm):
    class Meta:
        model = m.ReplacementSettings
        fields = ["inflation_percent", "horizon", "start_month", "notes"]


class CapitalCapForm(RecordForm):
    class Meta:
        model = m.CapitalCap
        fields = ["fiscal_year", "amount", "notes"]
