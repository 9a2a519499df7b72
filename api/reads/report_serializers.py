"""The executive report's figures as JSON: what the report page shows, computed by the same code."""

from rest_framework import serializers

from governance.models import UseCase
from reports.figures import BAND_FILTER_CHOICES, PortfolioReport


class FiltersSerializer(serializers.Serializer):
    status = serializers.ListField(child=serializers.ChoiceField(choices=UseCase.Status.choices))
    include_closed = serializers.BooleanField()
    department = serializers.CharField()
    vendor_country = serializers.CharField()
    band = serializers.CharField()
    created_from = serializers.DateField(allow_null=True)
    created_to = serializers.DateField(allow_null=True)


class CountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class HeatCellSerializer(serializers.Serializer):
    likelihood = serializers.IntegerField()
    impact = serializers.IntegerField()
    count = serializers.IntegerField()


class ExposureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    use_cases = serializers.IntegerField()
    high_or_critical = serializers.IntegerField()
    restricted_vendor = serializers.IntegerField()


class TotalsSerializer(serializers.Serializer):
    use_cases = serializers.IntegerField()
    approved = serializers.IntegerField()
    in_review = serializers.IntegerField()
    high_or_critical = serializers.IntegerField()
    critical = serializers.IntegerField()
    risks = serializers.IntegerField()
    restricted_vendor_use_cases = serializers.IntegerField()


class TopRiskSerializer(serializers.Serializer):
    use_case = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField()
    residual_likelihood = serializers.IntegerField()
    residual_impact = serializers.IntegerField()
    residual_score = serializers.IntegerField()
    owner = serializers.CharField()


class ExpiringSerializer(serializers.Serializer):
    use_case = serializers.CharField()
    title = serializers.CharField()
    round = serializers.IntegerField()
    expires_on = serializers.DateField()
    days_left = serializers.IntegerField()


class ExpiringListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    window_days = serializers.IntegerField()
    first = ExpiringSerializer(many=True)


class ConditionRowSerializer(serializers.Serializer):
    use_case = serializers.CharField()
    function = serializers.CharField()
    description = serializers.CharField()
    owner = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.CharField()


class ConditionListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    overdue = serializers.IntegerField()
    first = ConditionRowSerializer(many=True)


class SuspendedSerializer(serializers.Serializer):
    use_case = serializers.CharField()
    title = serializers.CharField()
    reason = serializers.CharField()
    since = serializers.DateTimeField(allow_null=True)


class SuspendedListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    first = SuspendedSerializer(many=True)


class MonthSerializer(serializers.Serializer):
    start = serializers.DateField()
    submitted = serializers.IntegerField()
    decided = serializers.DictField(child=serializers.IntegerField())
    suspended = serializers.DictField(child=serializers.IntegerField())
    in_force = serializers.IntegerField()
    in_force_with_conditions = serializers.IntegerField()
    live_by_tier = serializers.DictField(child=serializers.IntegerField())
    open_conditions = serializers.IntegerField()
    overdue_conditions = serializers.IntegerField()


class DurationsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    median = serializers.FloatField(allow_null=True)
    p90 = serializers.FloatField(allow_null=True)


class FunctionCycleSerializer(serializers.Serializer):
    function = serializers.CharField()
    label = serializers.CharField()
    signed = DurationsSerializer()
    breaches = serializers.IntegerField()
    waiting = serializers.IntegerField()
    waiting_overdue = serializers.IntegerField()
    oldest_wait = serializers.IntegerField(allow_null=True)


class CycleTimesSerializer(serializers.Serializer):
    since = serializers.DateTimeField()
    sla_days = serializers.IntegerField()
    decision = DurationsSerializer()
    functions = FunctionCycleSerializer(many=True)


class ReportSerializer(serializers.Serializer):
    """Every figure of the executive report for the filters asked (by default the live portfolio)."""

    filters = FiltersSerializer()
    scope = serializers.ListField(child=serializers.CharField(), help_text="The filters in words.")
    generated_at = serializers.DateTimeField()
    totals = TotalsSerializer()
    by_status = CountSerializer(many=True)
    by_tier = CountSerializer(many=True)
    residual_heat_map = HeatCellSerializer(many=True)
    by_vendor_country = ExposureSerializer(many=True)
    by_model_origin = ExposureSerializer(many=True)
    by_sensitivity = ExposureSerializer(many=True)
    top_risks = TopRiskSerializer(many=True)
    expiring = ExpiringListSerializer()
    conditions = ConditionListSerializer()
    suspended = SuspendedListSerializer()
    trends = MonthSerializer(many=True)
    cycle_times = CycleTimesSerializer()
    eu_ai_act_classes = CountSerializer(many=True)


def _name(user) -> str:
    return user.get_full_name() or user.username


def report_data(report: PortfolioReport) -> dict:
    """The report as the plain data `ReportSerializer` describes."""
    tiers = dict(BAND_FILTER_CHOICES)
    return {
        "filters": report.filters.as_json(),
        "scope": report.filters.describe(),
        "generated_at": report.generated_at,
        "totals": {
            "use_cases": report.total,
            "approved": report.approved,
            "in_review": report.in_review,
            "high_or_critical": report.high_or_critical,
            "critical": report.critical,
            "risks": report.risk_count,
            "restricted_vendor_use_cases": report.restricted_vendor_use_cases,
        },
        "by_status": [{"key": k, "label": str(label), "count": n} for k, label, n in report.status_rows],
        "by_tier": [{"key": k, "label": str(tiers[k]), "count": n} for k, _, n in report.tier_rows],
        "residual_heat_map": [
            {"likelihood": likelihood, "impact": impact, "count": n}
            for (likelihood, impact), n in sorted(report.heat_map.items())
        ],
        "by_vendor_country": [vars(row) for row in report.by_vendor_country],
        "by_model_origin": [vars(row) for row in report.by_model_origin],
        "by_sensitivity": [vars(row) for row in report.by_sensitivity],
        "top_risks": [
            {
                "use_case": risk.use_case.reference,
                "title": risk.title,
                "category": risk.category,
                "residual_likelihood": risk.residual_likelihood,
                "residual_impact": risk.residual_impact,
                "residual_score": risk.residual_score,
                "owner": _name(risk.owner),
            }
            for risk in report.top_risks
        ],
        "expiring": {
            "count": report.expiring_count,
            "window_days": report.expiry_window_days,
            "first": [
                {
                    "use_case": round.use_case.reference,
                    "title": round.use_case.title,
                    "round": round.number,
                    "expires_on": round.expires_on,
                    "days_left": round.days_left,
                }
                for round in report.expiring
            ],
        },
        "conditions": {
            "count": report.open_conditions_count,
            "overdue": report.overdue_conditions_count,
            "first": [
                {
                    "use_case": condition.use_case.reference,
                    "function": condition.function,
                    "description": condition.description,
                    "owner": _name(condition.owner),
                    "due_on": condition.due_on,
                    "status": condition.status,
                }
                for condition in report.open_conditions
            ],
        },
        "suspended": {
            "count": report.suspended_count,
            "first": [
                {
                    "use_case": use_case.reference,
                    "title": use_case.title,
                    "reason": use_case.suspended_reason or "",
                    "since": use_case.suspended_at,
                }
                for use_case in report.suspended
            ],
        },
        "trends": [
            {
                "start": month.start,
                "submitted": month.submitted,
                "decided": dict(month.decided),
                "suspended": dict(month.suspended),
                "in_force": month.in_force,
                "in_force_with_conditions": month.in_force_with_conditions,
                "live_by_tier": dict(month.live_by_tier),
                "open_conditions": month.open_conditions,
                "overdue_conditions": month.overdue_conditions,
            }
            for month in report.trends.months
        ],
        "cycle_times": report.cycle_times,
        "eu_ai_act_classes": [
            {"key": k, "label": str(label), "count": n} for k, label, n in report.crosswalk.class_rows
        ],
    }
