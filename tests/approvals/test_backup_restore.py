"""Backup and restore: `manage.py backup` and `manage.py restore`, the restore drill, and what
`dumpdata`/`loaddata` may be used for (moving data, not backing it up)."""

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.test import override_settings

from approvals.documents.verification import record_verify
from approvals.models import ApprovalEvent, ApprovalRecord
from governance.models import UseCase
from tests.factories import AIModelFactory, UseCaseFactory, data_category

# Uploaded to a draft of the demo after seeding: the demo itself has no evidence.
ADD_EVIDENCE = """
from django.core.files.uploadedfile import SimpleUploadedFile
from checklist.models import Answer
from checklist.services import evidence_add
answer = Answer.objects.filter(use_case__status="draft").select_related("use_case__business_owner").first()
upload = SimpleUploadedFile("dpa.txt", b"Data processing agreement, signed.", content_type="text/plain")
evidence_add(answer=answer, user=answer.use_case.business_owner, upload=upload)
"""


class Installation:
    """A database and a media folder the commands run against as an operator runs them: in a process
    of their own, configured by DATABASE_URL and MEDIA_ROOT. Readable from the tests as a database alias."""

    def __init__(self, alias: str, tmp: Path):
        self.alias, self.media = alias, tmp / f"{alias}-media"
        default = connections.settings["default"]
        if connection.vendor == "postgresql":
            self.name = f"{default['NAME']}_{alias}"
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                cursor.execute(f'CREATE DATABASE "{self.name}"')
            password = f":{quote(default['PASSWORD'], safe='')}" if default["PASSWORD"] else ""
            host = f"{default['HOST'] or '127.0.0.1'}:{default['PORT'] or 5432}"
            self.url = f"postgres://{quote(default['USER'], safe='')}{password}@{host}/{self.name}"
        else:
            self.name = str(tmp / f"{alias}.sqlite3")
            self.url = f"sqlite:///{self.name}"
        connections.settings[alias] = {**default, "NAME": self.name}

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        env = {**os.environ, "DEBUG": "1", "DATABASE_URL": self.url, "MEDIA_ROOT": str(self.media)}
        # Without a broker the records the seed causes are rendered in this process, as in `make run`.
        env.pop("REDIS_URL", None)
        env.pop("CLEARANCE_REQUIRE_BROKER", None)
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} exited {done.returncode}:\n{done.stderr[-3000:]}")
        return done

    def rows(self) -> dict[str, list[dict]]:
        """Every row of every table, history and many-to-many tables included, in key order."""
        return {
            model._meta.label: list(model._base_manager.using(self.alias).order_by("pk").values())
            for model in apps.get_models(include_auto_created=True)
        }

    def drop(self) -> None:
        connections[self.alias].close()
        del connections[self.alias]
        del connections.settings[self.alias]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class ReadFrom:
    """Routes every query to one installation, so code that reads the default database reads it."""

    def __init__(self, alias: str):
        self.alias = alias

    def db_for_read(self, model, **hints):
        return self.alias

    db_for_write = db_for_read


@pytest.fixture(scope="module")
def drill(django_db_setup, django_db_blocker, tmp_path_factory):
    """The restore drill, once for the module: seed the demo into a new installation, add an evidence
    file, back it up, and restore the archive into another new installation (empty database, empty
    media folder)."""
    tmp = tmp_path_factory.mktemp("drill")
    with django_db_blocker.unblock():
        source, restored = Installation("drill_source", tmp), Installation("drill_restored", tmp)
        try:
            source.manage("migrate", "--verbosity=0")
            source.manage("seed_demo")
            source.manage("shell", "--command", ADD_EVIDENCE)
            archive = tmp / "clearance.tar"
            backed_up = source.manage("backup", str(archive))
            restore = restored.manage("restore", str(archive))
            yield {"source": source, "restored": restored, "archive": archive, "backup": backed_up, "restore": restore}
        finally:
            source.drop()
            restored.drop()


@pytest.fixture
def reading(django_db_blocker):
    with django_db_blocker.unblock():
        yield


# --- The restore drill ----------------------------------------------------------------------------


def test_the_archive_holds_the_database_every_stored_file_and_their_sha256(drill):
    with tarfile.open(drill["archive"]) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        members = set(tar.getnames())

    assert manifest["engine"] == connection.vendor
    assert manifest["database"]["member"] in members
    kinds = [part["kind"] for part in manifest["files"]]
    assert kinds.count("approval record") == 9 and kinds.count("evidence file") == 1
    assert {part["member"] for part in manifest["files"]} <= members
    assert all(len(part["sha256"]) == 64 for part in [manifest["database"], *manifest["files"]])
    assert manifest["problems"] == []
    assert drill["archive"].stat().st_mode & 0o777 == 0o600  # every row, password hashes included
    assert "Backup complete." in drill["backup"].stdout


def test_every_restored_record_verifies_against_its_restored_file(drill, reading):
    restored = drill["restored"]
    records = list(ApprovalRecord.objects.using(restored.alias).order_by("pk"))
    assert len(records) == 9

    with override_settings(DATABASE_ROUTERS=[ReadFrom(restored.alias)]):
        for record in records:
            verification = record_verify(data=(restored.media / record.file.name).read_bytes())
            assert verification.genuine, record.file.name
            assert verification.record.pk == record.pk
            assert verification.sha256 == record.sha256


def test_every_stored_file_checks_out_after_the_restore(drill):
    assert "Every stored file matches its SHA-256." in drill["restore"].stdout

    checked = drill["restored"].manage("verify_files")

    assert "All 10 stored files match their SHA-256 (9 approval records, 1 evidence file" in checked.stdout


def test_every_row_is_restored_as_it_was(drill, reading):
    before, after = drill["source"].rows(), drill["restored"].rows()

    assert len(before[ApprovalEvent._meta.label]) > 50
    assert len(before[UseCase.history.model._meta.label]) > 40
    for label, rows in before.items():
        assert after[label] == rows, label


def test_the_restored_schema_is_the_current_one(drill):
    assert drill["restored"].manage("migrate", "--check", check=False).returncode == 0


def test_restore_refuses_a_database_that_is_not_empty(drill):
    refused = drill["restored"].manage("restore", str(drill["archive"]), check=False)

    assert refused.returncode == 1
    assert "is not empty" in refused.stderr and "Restore needs an empty one: create a new database" in refused.stderr


def test_restore_refuses_a_media_folder_that_is_not_empty_and_changes_nothing(drill, reading, tmp_path):
    target = Installation("drill_busy_media", tmp_path)
    try:
        (target.media / "reports").mkdir(parents=True)
        (target.media / "reports" / "left-over.pdf").write_bytes(b"%PDF-")

        refused = target.manage("restore", str(drill["archive"]), check=False)

        assert refused.returncode == 1
        assert f"The file storage ({target.media}) is not empty" in refused.stderr
        assert connections[target.alias].introspection.table_names() == []
        assert [p.name for p in target.media.rglob("*") if p.is_file()] == ["left-over.pdf"]
    finally:
        target.drop()


@pytest.mark.django_db
def test_restore_refuses_a_damaged_archive(drill, tmp_path):
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(drill["archive"]) as original, tarfile.open(damaged, "w") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read()
            if member.name.startswith("files/records/"):
                data = data.replace(b"%PDF", b"%PDX", 1)
            copy.addfile(member, io.BytesIO(data))

    with pytest.raises(CommandError, match=r"damaged: files/records/.* does not match its SHA-256"):
        call_command("restore", str(damaged))


# --- dumpdata / loaddata ------------------------------------------------------------------------


@pytest.mark.django_db
def test_loaddata_adds_no_history_rows_of_its_own(alice, tmp_path):
    """Loading a use case sets its many-to-many relations after the row: simple-history took each of
    those for an edit and wrote a history row dated at load time (on PostgreSQL the row collided with a
    loaded one: IntegrityError on governance_historicalusecase)."""
    model, fallback = AIModelFactory(), AIModelFactory(name="Fallback")
    categories = [data_category("customer-records"), data_category("source-code")]
    with transaction.atomic():
        use_case = UseCaseFactory(
            user=alice, data_categories=categories, fallback_models=[fallback], primary_model=model
        )
        history = UseCase.history.filter(id=use_case.pk).order_by("history_id")
        expected = list(history.values())
        # XML, not JSON: Django's JSON encoder cuts timestamps to milliseconds, so rows would differ.
        fixture = tmp_path / "use_case.xml"
        fixture.write_text(serializers.serialize("xml", [*history, use_case]))
        transaction.set_rollback(True)
    assert not UseCase.objects.exists()

    call_command("loaddata", str(fixture), verbosity=0)

    loaded = UseCase.objects.get()
    assert set(loaded.data_categories.all()) == set(categories)
    assert list(loaded.fallback_models.all()) == [fallback]
    assert list(UseCase.history.filter(id=loaded.pk).order_by("history_id").values()) == expected
