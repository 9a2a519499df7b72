"""`manage.py backup OUT`: one archive of the database and every file its rows name (see approvals.backup)."""

from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from approvals.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write one archive holding a consistent copy of the database, every stored file its rows name "
        "(approval records, evidence, report exports) and a manifest with the SHA-256 of each part. "
        "OUT is a new file, or a folder to put clearance-<date>-<time>.tar in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path, help="The archive to write, or an existing folder.")

    def handle(self, *args, out: Path, **options) -> None:
        if out.is_dir():
            out = out / f"clearance-{datetime.now().astimezone():%Y%m%d-%H%M%S}.tar"
        if not out.parent.is_dir():
            raise CommandError(f"{out.parent} is not a folder.")
        try:
            result = backup_write(out=out)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Wrote {result.path} ({result.size / 1e6:.1f} MB, {result.files} files) in {result.seconds:.1f} s.\n"
            f"SHA-256 of the archive: {result.sha256}"
        )
        if result.problems:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"The archive is written, but {len(result.problems)} stored files are missing or altered "
                "(listed above and in its manifest): run manage.py verify_files and restore them from an older backup."
            )
        self.stdout.write(self.style.SUCCESS("Backup complete."))
