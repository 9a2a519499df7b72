"""`manage.py stored_columns [--fix]`: the columns kept on each use case for the lists agree with their source."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, Q, QuerySet

from approvals.selectors import first_submission
from governance.models import UseCase
from governance.tiers import tier_drift, tier_refresh


def submission_drift() -> QuerySet[UseCase]:
    """Use cases whose `first_submitted_at` is not when their first round opened (or is set without one)."""
    drifted = (
        Q(first_submitted_at__isnull=True, first__isnull=False)
        | Q(first_submitted_at__isnull=False, first__isnull=True)
        | Q(first_submitted_at__lt=F("first"))
        | Q(first_submitted_at__gt=F("first"))
    )
    return UseCase.objects.alias(first=first_submission()).filter(drifted)


class Command(BaseCommand):
    help = (
        "Check the columns each use case keeps for the lists and the portfolio figures: its stored risk tier "
        "(highest residual score and band) against its risks, and when it was first submitted against its "
        "rounds. Lists each use case that drifted; exits 1 if any did. --fix recomputes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Recompute the drifted columns from their source.")

    def handle(self, *args, fix: bool = False, **options) -> None:
        checks = {
            "risk tier": tier_drift(UseCase.objects.all()),
            "first submission": submission_drift(),
        }
        drifted = {
            name: list(query.order_by("reference").values_list("reference", flat=True))
            for name, query in checks.items()
        }
        total = sum(len(references) for references in drifted.values())
        for name, references in drifted.items():
            for reference in references:
                self.stderr.write(f"{reference}: stored {name} differs from its source")
        if not total:
            self.stdout.write(
                self.style.SUCCESS("Every use case's stored risk tier and first submission match their source.")
            )
            return
        if not fix:
            raise CommandError(f"{total} stored values drifted; run with --fix to recompute them.")
        with transaction.atomic():
            tier_refresh(UseCase.objects.filter(reference__in=drifted["risk tier"]), touch=False)
            UseCase.objects.filter(reference__in=drifted["first submission"]).update(
                first_submitted_at=first_submission()
            )
        self.stdout.write(self.style.SUCCESS(f"Recomputed {total} stored values."))
