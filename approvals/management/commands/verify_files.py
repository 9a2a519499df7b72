"""`manage.py verify_files`: every stored file the database names is there and holds what it says."""

from django.core.management.base import BaseCommand, CommandError

from approvals.backup import files_verify, kinds


class Command(BaseCommand):
    help = (
        "Check that the file of every approval record, evidence file and report export exists and that its "
        "SHA-256 is the one stored with it. Lists each missing or altered file; exits 1 if there is any."
    )

    def handle(self, *args, **options) -> None:
        files, problems = files_verify()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} of {len(files)} stored files are missing or altered.")
        self.stdout.write(self.style.SUCCESS(f"All {len(files)} stored files match their SHA-256 ({kinds(files)})."))
