"""Backup and restore: the database and the files Clearance stores, together, in one archive.

The archive is an uncompressed tar (the PDFs and a custom-format pg_dump are compressed already):

    database.pgdump or database.sqlite3   the database, as of one snapshot
    files/<storage name>                  every stored file a row of that snapshot names
    manifest.json                         what the archive holds, with the SHA-256 and size of each part

Why the files agree with the dump: the rows that name files (approval records, evidence, report
exports) are read in the very snapshot that is dumped, and a file is written to storage before the
row that names it commits and is never rewritten afterwards (records and evidence are immutable; an
export is stored once, then marked done). So every file a dumped row names is already complete when
the backup reads it, and its SHA-256 is checked against the one in the row. A file written after the
snapshot belongs to a row the dump does not hold: it is not taken, and it is not needed.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.core.files.utils import validate_file_name
from django.db import connection, transaction
from django.utils import timezone

FORMAT = "clearance-backup"
VERSION = 1
MANIFEST = "manifest.json"
FILES = "files/"
DATABASE_MEMBER = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# pg_dump and pg_restore of the demo take seconds; an hour is a stuck server, not a big database.
PG_TIMEOUT_SECONDS = 3600
CHUNK = 1024 * 1024

# Every model whose rows name a stored file, with the SHA-256 taken when the file was written.
# Named by label rather than imported: the reporting layer's exports sit above this app.
# (label, what the file is, its file field, its SHA-256 field)
STORED_MODELS = (
    ("approvals.ApprovalRecord", "approval record", "file", "sha256"),
    ("checklist.Evidence", "evidence file", "file", "sha256"),
    ("evaluations.EvaluationRun", "evaluation result file", "file", "sha256"),
    ("approvals.Condition", "condition evidence file", "evidence_file", "evidence_sha256"),
    ("reports.ReportExport", "report export", "file", "sha256"),
)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class StoredFile:
    kind: str
    row: int
    name: str
    sha256: str

    def __str__(self):
        return f"{self.kind} {self.row}: {self.name}"


# --- Which files the database names, and whether they hold what it says ---------------------------


def stored_files(cursor) -> list[StoredFile]:
    """The files named by the rows this cursor sees, in plain SQL so that it reads a snapshot (a
    pg_dump's, or an SQLite copy) through any DB-API cursor."""
    files = []
    for label, kind, file_field, sha_field in STORED_MODELS:
        meta = apps.get_model(label)._meta
        pk, file, sha = meta.pk.column, meta.get_field(file_field).column, meta.get_field(sha_field).column
        # Identifiers come from the models, not from input.
        cursor.execute(
            f'SELECT "{pk}", "{file}", "{sha}" FROM "{meta.db_table}" WHERE "{file}" <> \'\' ORDER BY "{pk}"'  # noqa: S608
        )
        files += [StoredFile(kind=kind, row=row, name=name, sha256=digest) for row, name, digest in cursor.fetchall()]
    return files


def file_sha256(storage: Storage, name: str) -> str | None:
    """The SHA-256 of a stored file, or None when storage does not have it."""
    if not storage.exists(name):
        return None
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_problem(storage: Storage, stored: StoredFile) -> str | None:
    actual = file_sha256(storage, stored.name)
    if actual is None:
        return f"{stored}: missing"
    if actual != stored.sha256:
        return f"{stored}: altered (SHA-256 {actual}, recorded {stored.sha256})"
    return None


def files_verify(*, storage: Storage | None = None) -> tuple[list[StoredFile], list[str]]:
    """Check every stored file the database names: it exists and its SHA-256 is the recorded one."""
    storage = storage or default_storage
    with transaction.atomic(), connection.cursor() as cursor:
        files = stored_files(cursor)
    problems = [problem for stored in files if (problem := file_problem(storage, stored))]
    return files, problems


def kinds(files) -> str:
    counts = Counter(f.kind if isinstance(f, StoredFile) else f["kind"] for f in files)
    return ", ".join(f"{counts[kind]} {kind}{'' if counts[kind] == 1 else 's'}" for _, kind, _, _ in STORED_MODELS)


# --- Backup ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupResult:
    path: Path
    sha256: str
    size: int
    files: int
    problems: list[str]
    seconds: float


def backup_write(*, out: Path, storage: Storage | None = None) -> BackupResult:
    """Write one archive of the database and its files to `out`.

    1. Take the database as of one snapshot (PostgreSQL: pg_dump of an exported snapshot; SQLite: the
       online backup API) and, in that same snapshot, the list of files its rows name.
    2. Copy each of those files from storage, checking its SHA-256 against the row's; a missing or
       altered file is listed in the manifest and reported, the rest is still written.
    3. Write the manifest last, into `<out>.partial`, renamed to `out` only when complete, so a
       scheduled run that dies leaves no archive that looks whole.
    """
    storage = storage or default_storage
    started = time.monotonic()
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBER:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    if out.exists():
        raise BackupError(f"{out} already exists: give a new file name, or a folder to put a dated one in.")
    partial = out.with_name(out.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="clearance-backup-", dir=out.parent) as tmp:
        dump = Path(tmp) / DATABASE_MEMBER[vendor]
        files, migrations = _pg_dump(dump) if vendor == "postgresql" else _sqlite_copy(dump)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": vendor,
            "migrations": migrations,
            "database": {"member": dump.name, "sha256": _path_sha256(dump), "size": dump.stat().st_size},
            "files": [],
            "problems": [],
        }
        # Readable by its owner only: the archive holds every row, password hashes included.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            tar.add(dump, arcname=dump.name, recursive=False)
            for stored in files:
                _add_stored_file(tar, storage, stored, manifest)
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False).encode())
    partial.rename(out)
    return BackupResult(
        path=out,
        sha256=_path_sha256(out),
        size=out.stat().st_size,
        files=len(manifest["files"]),
        problems=manifest["problems"],
        seconds=time.monotonic() - started,
    )


def _add_stored_file(tar: tarfile.TarFile, storage: Storage, stored: StoredFile, manifest: dict) -> None:
    if not storage.exists(stored.name):
        manifest["problems"].append(f"{stored}: missing")
        return
    with storage.open(stored.name, "rb") as handle:
        data = handle.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != stored.sha256:
        manifest["problems"].append(f"{stored}: altered (SHA-256 {digest}, recorded {stored.sha256})")
    member = FILES + stored.name
    _add_bytes(tar, member, data)
    manifest["files"].append(
        {"member": member, "name": stored.name, "kind": stored.kind, "sha256": digest, "size": len(data)}
    )


def _pg_dump(path: Path) -> tuple[list[StoredFile], dict[str, str]]:
    """pg_dump the snapshot this connection exports, and read the file list in that same snapshot.

    The transaction stays open until pg_dump has finished: an exported snapshot lives only as long as
    the transaction that exported it.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        files = stored_files(cursor)
        migrations = _migrations(cursor)
        _pg_run(
            "pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", f"--file={path}"
        )
    return files, migrations


def _sqlite_copy(path: Path) -> tuple[list[StoredFile], dict[str, str]]:
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        # One step (pages=-1): the source is read under one lock, so the copy is one state of it.
        connection.connection.backup(copy)
        cursor = copy.cursor()
        return stored_files(cursor), _migrations(cursor)
    finally:
        copy.close()


def _migrations(cursor) -> dict[str, str]:
    """The last migration applied in each app: what the restored database's schema is."""
    cursor.execute('SELECT "app", "name" FROM "django_migrations" ORDER BY "app", "name"')
    return dict(cursor.fetchall())


def _pg_run(program: str, *args: str) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(f"{program} is not installed: install the PostgreSQL client of the server's version.")
    settings = connection.settings_dict
    env = {**os.environ, "PGDATABASE": settings["NAME"]}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings.get(key):
            env[variable] = str(settings[key])
    if settings.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = settings["OPTIONS"]["sslmode"]
    try:
        subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
            [executable, *args], env=env, check=True, capture_output=True, text=True, timeout=PG_TIMEOUT_SECONDS
        )
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{program} failed: {error.stderr.strip() or error.returncode}") from None
    except subprocess.TimeoutExpired:
        raise BackupError(f"{program} did not finish in {PG_TIMEOUT_SECONDS} s.") from None


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
    tar.addfile(info, io.BytesIO(data))


def _path_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- Restore --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    manifest: dict
    files: int
    problems: list[str]
    seconds: float


def archive_read(path: Path) -> dict:
    """The archive's manifest, after checking every part it lists against its SHA-256 and size."""
    try:
        with tarfile.open(path, "r:") as tar:
            manifest = json.loads(_member_bytes(tar, MANIFEST))
            if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
                raise BackupError(f"{path} is not a Clearance backup of format version {VERSION}.")
            for part in [manifest["database"], *manifest["files"]]:
                member = _member(tar, part["member"])
                digest = hashlib.sha256()
                handle = tar.extractfile(member)
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                if member.size != part["size"] or digest.hexdigest() != part["sha256"]:
                    raise BackupError(f"{path} is damaged: {part['member']} does not match its SHA-256.")
            for part in manifest["files"]:
                validate_file_name(part["name"], allow_relative_path=True)
                if part["member"] != FILES + part["name"]:
                    raise BackupError(f"{path} is damaged: {part['member']} is not where the manifest says.")
    except (tarfile.TarError, OSError, KeyError, ValueError, TypeError) as error:
        raise BackupError(f"{path} cannot be read as a Clearance backup: {error}") from None
    return manifest


def _member(tar: tarfile.TarFile, name: str) -> tarfile.TarInfo:
    try:
        member = tar.getmember(name)
    except KeyError:
        raise BackupError(f"{tar.name} is damaged: {name} is missing from it.") from None
    if not member.isfile():
        raise BackupError(f"{tar.name} is damaged: {name} is not a file.")
    return member


def _member_bytes(tar: tarfile.TarFile, name: str) -> bytes:
    return tar.extractfile(_member(tar, name)).read()


def restore_refusal(manifest: dict, *, storage: Storage) -> str | None:
    """Why this installation cannot receive the archive, or None: it must be the same engine, with a
    database that holds no table and a storage that holds no file, so nothing is overwritten."""
    if manifest["engine"] != connection.vendor:
        return (
            f"The archive holds a {manifest['engine']} database and this installation uses {connection.vendor}: "
            "restore it into the same kind of database (to move between them, see dumpdata and loaddata)."
        )
    tables = connection.introspection.table_names()
    if tables:
        return (
            f"The database {connection.settings_dict['NAME']} is not empty ({len(tables)} tables, e.g. {tables[0]}). "
            "Restore needs an empty one: create a new database, point DATABASE_URL at it, and do not run migrate first."
        )
    if _storage_has_files(storage):
        where = getattr(storage, "location", "the file storage")
        return f"The file storage ({where}) is not empty. Restore needs an empty one: point MEDIA_ROOT at a new folder."
    return None


def _storage_has_files(storage: Storage) -> bool:
    try:
        folders, files = storage.listdir("")
    except FileNotFoundError:
        return False
    return bool(files) or any(_storage_has_files_under(storage, folder) for folder in folders)


def _storage_has_files_under(storage: Storage, folder: str) -> bool:
    folders, files = storage.listdir(folder)
    return bool(files) or any(_storage_has_files_under(storage, f"{folder}/{sub}") for sub in folders)


def backup_restore(*, archive: Path, storage: Storage | None = None) -> RestoreResult:
    """Restore an archive into an empty database and an empty storage.

    1. Check every part of the archive against the manifest, and refuse a target that is not empty
       (see `restore_refusal`): nothing below runs unless everything can.
    2. Load the database: pg_restore in one transaction (rows are inserted by COPY; constraints and
       triggers are created after the rows, so nothing is updated, deleted or truncated), or SQLite's
       backup API into the new file.
    3. Store each file under its original name, and check every file the restored rows name.
    """
    storage = storage or default_storage
    started = time.monotonic()
    manifest = archive_read(archive)
    refusal = restore_refusal(manifest, storage=storage)
    if refusal:
        raise BackupError(refusal)
    with tarfile.open(archive, "r:") as tar, tempfile.TemporaryDirectory(prefix="clearance-restore-") as tmp:
        dump = Path(tmp) / manifest["database"]["member"]
        with dump.open("wb") as out:
            shutil.copyfileobj(tar.extractfile(_member(tar, manifest["database"]["member"])), out, CHUNK)
        if manifest["engine"] == "postgresql":
            _pg_run(
                "pg_restore",
                "--exit-on-error",
                "--single-transaction",
                "--no-owner",
                "--no-privileges",
                f"--dbname={connection.settings_dict['NAME']}",
                str(dump),
            )
        else:
            _sqlite_load(dump)
        for part in manifest["files"]:
            saved = storage.save(part["name"], ContentFile(_member_bytes(tar, part["member"])))
            if saved != part["name"]:
                raise BackupError(f"The storage saved {part['name']} as {saved}: it was not empty.")
    connection.close()
    _, problems = files_verify(storage=storage)
    return RestoreResult(
        manifest=manifest, files=len(manifest["files"]), problems=problems, seconds=time.monotonic() - started
    )


def _sqlite_load(dump: Path) -> None:
    connection.close()
    source, target = sqlite3.connect(dump), sqlite3.connect(connection.settings_dict["NAME"])
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
