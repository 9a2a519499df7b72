from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.services import evaluation_import

FIXTURES = Path(__file__).parent / "fixtures"


def upload(relative: str, *, name: str | None = None, extra: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name or Path(relative).name, (FIXTURES / relative).read_bytes() + extra)


def imported(use_case, user, relative: str, **options):
    return evaluation_import(user=user, use_case=use_case, upload=upload(relative, **options))
