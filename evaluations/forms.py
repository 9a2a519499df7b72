from django import forms

from evaluations.models import EvaluationThreshold
from governance.failure_modes import FailureMode
from governance.models import DataCategory


class ThresholdForm(forms.Form):
    sensitivity = forms.TypedChoiceField(label="Data sensitivity", choices=DataCategory.Sensitivity.choices, coerce=int)
    failure_mode = forms.ChoiceField(label="Failure mode", choices=FailureMode.choices)
    min_pass_rate = forms.DecimalField(
        label="Minimum pass rate (%)", min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    reason = forms.CharField(
        label="Why (kept in the history)",
        max_length=EvaluationThreshold._meta.get_field("reason").max_length,
        required=False,
    )


class ThresholdRemoveForm(forms.Form):
    reason = forms.CharField(
        label="Why", max_length=EvaluationThreshold._meta.get_field("reason").max_length, required=False
    )
