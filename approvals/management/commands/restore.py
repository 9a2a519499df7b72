"""`manage.py restore ARCHIVE`: a backup into an empty database and an empty file storage."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from approvals.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by manage.py backup into an empty database (a new one, not migrated) "
        "and an empty MEDIA_ROOT, then check every stored file. Refuses a target that holds anything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="An archive written by manage.py backup.")

    def handle(self, *args, archive: Path, **options) -> None:
        if not archive.is_file():
            raise CommandError(f"{archive} is not a file.")
        try:
            result = backup_restore(archive=archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = result.manifest
        self.stdout.write(
            f"Restored the {manifest['engine']} database of {manifest['created_at']} and {result.files} files "
            f"in {result.seconds:.1f} s."
        )
        if result.problems:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(result.problems)} stored files are missing or altered after the restore.")
        self.stdout.write(
            self.style.SUCCESS("Every stored file matches its SHA-256. Run manage.py migrate if the code is newer.")
        )
