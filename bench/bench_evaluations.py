"""How fast, and in how much memory, an evaluation result file of 50,000 samples is imported:
`make bench-evaluations`.

It writes large result files from the real harnesses' own (tests/evaluations/fixtures): an Inspect log, as the
.eval archive Inspect writes (one Zstandard member per sample) and as the JSON log, and a promptfoo result,
each with BENCH_SAMPLES samples (default 50,000) copied from the fixture's samples with their ids, outcomes and
times varied. Each file is imported in a process of its own, through the service the page and the API call,
on a throwaway SQLite database; the process reports the seconds the import took, the SQL queries it ran, and
the memory it added at its peak (peak resident set after, minus the resident set before). A small file of the
same kind gives the query count to compare. Targets: under 10 s and under 300 MB at 50,000 samples.
"""

import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "evaluations" / "fixtures"
TARGET_SECONDS = 10.0
TARGET_MB = 300.0
ZSTANDARD = 93


# --- Writing the files --------------------------------------------------------------------------------


def _inspect_log() -> dict:
    return json.loads((FIXTURES / "inspect" / "prompt_injection_mixed.json").read_text())


def _inspect_samples(count: int):
    rng = random.Random(2026)
    templates = _inspect_log()["samples"]
    for n in range(count):
        sample = dict(templates[n % len(templates)])
        sample["id"], sample["uuid"] = f"s-{n:06d}", f"bench-{n:08d}"
        outcome = "C" if rng.random() < 0.9 else "I"
        sample["scores"] = {"includes": {**sample["scores"]["includes"], "value": outcome}}
        sample["total_time"] = round(rng.uniform(0.2, 3.5), 3)
        yield sample


def write_inspect_json(path: Path, count: int) -> None:
    header = {k: v for k, v in _inspect_log().items() if k != "samples"}
    with path.open("w") as out:
        out.write(json.dumps(header)[:-1] + ', "samples": [')
        for n, sample in enumerate(_inspect_samples(count)):
            out.write(("," if n else "") + json.dumps(sample))
        out.write("]}")


def write_inspect_eval(path: Path, count: int) -> None:
    """A zip archive as Inspect writes it: header.json and samples/<id>_epoch_1.json, each member compressed
    with Zstandard (method 93), written entry by entry (Python's zipfile writes that method only from 3.14)."""
    import zstandard

    compressor = zstandard.ZstdCompressor()
    header = {k: v for k, v in _inspect_log().items() if k != "samples"}
    members = [("header.json", json.dumps(header).encode())]
    members += ((f"samples/{s['id']}_epoch_1.json", json.dumps(s).encode()) for s in _inspect_samples(count))
    central, offset = [], 0
    with path.open("wb") as out:
        for name, content in members:
            data, encoded = compressor.compress(content), name.encode()
            crc = zlib.crc32(content)
            local = struct.pack(
                "<4s5H3L2H", b"PK\x03\x04", 63, 0, ZSTANDARD, 0, 0, crc, len(data), len(content), len(encoded), 0
            )
            out.write(local + encoded + data)
            central.append(
                struct.pack(
                    "<4s6H3L5H2L",
                    b"PK\x01\x02",
                    63,
                    63,
                    0,
                    ZSTANDARD,
                    0,
                    0,
                    crc,
                    len(data),
                    len(content),
                    len(encoded),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + encoded
            )
            offset += len(local) + len(encoded) + len(data)
        directory = b"".join(central)
        out.write(directory)
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0))


def write_promptfoo(path: Path, count: int) -> None:
    result = json.loads((FIXTURES / "promptfoo" / "redteam_mixed.json").read_text())
    inner = result.pop("results")
    templates = inner.pop("results")
    rng = random.Random(2026)
    with path.open("w") as out:
        out.write('{"evalId": ' + json.dumps(result.pop("evalId")) + ', "results": ' + json.dumps(inner)[:-1])
        out.write(', "results": [')
        for n in range(count):
            item = {**templates[n % len(templates)], "id": f"bench-{n}", "latencyMs": rng.randint(80, 2500)}
            item["success"] = rng.random() < 0.9
            item["failureReason"] = 0 if item["success"] else 1
            out.write(("," if n else "") + json.dumps(item))
        out.write("]}, " + json.dumps(result)[1:])


WRITERS = {
    "Inspect .eval": (write_inspect_eval, "log.eval"),
    "Inspect JSON": (write_inspect_json, "log.json"),
    "promptfoo JSON": (write_promptfoo, "results.json"),
}


# --- One import, in a process of its own --------------------------------------------------------------


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS now, VmHWM its peak). Not getrusage's
    ru_maxrss: a process started by another keeps the starter's peak in it."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} is not in /proc/self/status")


def import_once(path: str) -> None:
    """Run in the child: import `path` onto a new use case; print the seconds, queries and memory as JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import TemporaryUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from evaluations.services import evaluation_import
    from governance.models import UseCase
    from governance.roles import Role
    from tests.approvals.workflow import complete_use_case, person
    from tests.factories import AIModelFactory, VendorFactory

    # Each child adds its own vendor and models to the one database: their names must not repeat.
    for factory in (VendorFactory, AIModelFactory):
        factory.reset_sequence(time.time_ns() % 10**12)
    owner = person(f"bench-{time.time_ns()}", Role.BUSINESS_OWNER)
    use_case = UseCase.objects.select_related("primary_model").get(pk=complete_use_case(owner).pk)
    size = Path(path).stat().st_size
    upload = TemporaryUploadedFile(Path(path).name, "application/octet-stream", size, None)
    with open(path, "rb") as source:
        while chunk := source.read(1024 * 1024):
            upload.write(chunk)
    upload.seek(0)
    before = _status_mb("VmRSS")
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        run = evaluation_import(user=owner, use_case=use_case, upload=upload)
    seconds = time.perf_counter() - started
    peak = _status_mb("VmHWM")
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                "queries": len(captured),
                "memory_mb": round(max(peak - before, 0), 1),
                "samples": run.samples,
                "tests": run.results.count(),
                "file_mb": round(size / 2**20, 1),
            }
        )
    )


def _child(path: Path, env: dict) -> dict:
    done = subprocess.run(  # noqa: S603 (this script, run again with our own arguments)
        [sys.executable, __file__, "--import", str(path)], env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise SystemExit(f"The import of {path.name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    count = int(os.environ.get("BENCH_SAMPLES", "50000"))
    met = True
    with tempfile.TemporaryDirectory(prefix="clearance-bench-evaluations-") as folder:
        workdir = Path(folder)
        database = workdir / "bench.sqlite3"
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "MEDIA_ROOT": str(workdir / "media")}
        env.setdefault("DEBUG", "1")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True, timeout=600
        )
        for label, (write, name) in WRITERS.items():
            small, large = workdir / f"small-{name}", workdir / f"large-{name}"
            write(small, 100)
            started = time.perf_counter()
            write(large, count)
            written = time.perf_counter() - started
            few, many = _child(small, env), _child(large, env)
            ok = (
                many["seconds"] < TARGET_SECONDS and many["memory_mb"] < TARGET_MB and few["queries"] == many["queries"]
            )
            met &= ok
            print(
                json.dumps(
                    {
                        "file": label,
                        "samples": many["samples"],
                        "file_mb": many["file_mb"],
                        "seconds": many["seconds"],
                        "memory_mb": many["memory_mb"],
                        "queries": many["queries"],
                        "queries_at_100_samples": few["queries"],
                        "tests": many["tests"],
                        "written_in_seconds": round(written, 1),
                        "met": ok,
                    }
                )
            )
    print(f"import of {count:,} samples under {TARGET_SECONDS:g} s and {TARGET_MB:g} MB: {'met' if met else 'MISSED'}")
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--import":
        import_once(sys.argv[2])
    else:
        main()
