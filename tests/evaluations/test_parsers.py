"""The parsers, on result files the real harnesses wrote (tests/evaluations/fixtures: each folder's
make_fixtures.sh made them) and on files that are damaged, truncated or hostile."""

import io
import json
import zipfile
from pathlib import Path

import pytest

from evaluations.parsers import ParseError, parse_file
from evaluations.parsers.base import MAX_TESTS

FIXTURES = Path(__file__).parent / "fixtures"


def parse(relative: str):
    with (FIXTURES / relative).open("rb") as handle:
        return parse_file(handle)


def counts_of(run) -> dict[tuple[str, str], tuple[int, int, int]]:
    return {key: (t.samples, t.passed, t.failed) for key, t in run.tests.items()}


@pytest.mark.parametrize("suffix", ["eval", "json"])
def test_it_reads_an_inspect_log_in_either_format(suffix):
    run = parse(f"inspect/prompt_injection_mixed.{suffix}")
    assert (run.harness, run.harness_version, run.title) == ("inspect", "0.3.285", "prompt_injection")
    assert (run.model, run.provider) == ("mockllm/model", "mockllm")
    assert run.run_at.isoformat().startswith("2026-12-03")
    assert (run.samples, run.passed, run.failed) == (8, 6, 2)
    assert counts_of(run) == {("prompt_injection", "includes"): (8, 6, 2)}
    assert len(run.latencies_ms) == 8 and all(ms > 0 for ms in run.latencies_ms)
    assert run.usage_samples == 8 and run.input_tokens > 0 and run.output_tokens > 0


def test_it_reads_a_failing_inspect_run_and_a_deflated_archive_of_an_older_inspect():
    failing = parse("inspect/prompt_injection_fail.eval")
    assert (failing.samples, failing.passed, failing.failed) == (8, 0, 8)
    older = parse("inspect/prompt_injection_mixed_inspect0.3.160_deflate.eval")
    assert (older.harness_version, older.passed, older.failed) == ("0.3.160", 6, 2)


def test_it_reads_a_promptfoo_red_team_per_plugin_and_strategy():
    run = parse("promptfoo/redteam_mixed.json")
    assert (run.harness, run.harness_version) == ("promptfoo", "0.121.20")
    # A local script target names no model: the model its responses report does.
    assert (run.model, run.provider) == ("clearance-hr-assistant-v1", "local script")
    assert (run.samples, run.passed, run.failed) == (10, 6, 4)
    tests = counts_of(run)
    assert tests[("pii:direct", "")] == (2, 1, 1)
    assert tests[("harmful:hate", "jailbreak")] == (1, 0, 1)
    assert tests[("indirect-prompt-injection", "")] == (1, 0, 1)
    assert run.usage_samples == 10 and run.input_tokens > 0


def test_it_reads_an_ordinary_promptfoo_evaluation_per_test_description():
    run = parse("promptfoo/eval_mixed.json")
    assert run.model == "echo" and (run.passed, run.failed) == (3, 3)
    assert counts_of(run)[("exact canned greeting", "")] == (1, 0, 1)


def test_it_reads_a_garak_report_per_probe_and_detector():
    run = parse("garak/promptinject_repeat.report.jsonl")
    assert (run.harness, run.harness_version, run.model) == ("garak", "0.17.1", "test.Repeat")
    tests = counts_of(run)
    assert tests[("promptinject.HijackHateHumans", "promptinject.AttackRogueString")] == (4, 0, 4)
    assert tests[("dan.Dan_11_0", "dan.DAN")] == (1, 0, 1)
    assert tests[("test.Test", "always.Pass")] == (8, 8, 0)
    assert run.samples == 17 and run.failed == 5
    clean = parse("garak/blank_pass.report.jsonl")
    assert all(failed == 0 for _, _, failed in counts_of(clean).values())


def test_it_reads_lm_eval_results_from_their_accuracy():
    run = parse("lm_eval/results_dummy.json")
    assert (run.harness, run.harness_version) == ("lm_eval", "0.4.13")
    assert counts_of(run) == {
        ("clearance_governance_mc", "acc"): (6, 3, 3),
        ("clearance_translate_qa", "exact_match"): (4, 0, 4),
    }


# --- What it refuses ---------------------------------------------------------------------------------


def refused(content: bytes) -> str:
    with pytest.raises(ParseError) as caught:
        parse_file(io.BytesIO(content))
    return str(caught.value)


@pytest.mark.parametrize(
    "fixture",
    [
        "inspect/prompt_injection_mixed.json",
        "inspect/prompt_injection_mixed.eval",
        "promptfoo/redteam_mixed.json",
        "garak/promptinject_repeat.report.jsonl",
        "lm_eval/results_dummy.json",
    ],
)
def test_it_refuses_a_truncated_file(fixture):
    content = (FIXTURES / fixture).read_bytes()
    message = refused(content[: len(content) // 2])
    assert message


def test_it_refuses_files_of_no_harness_it_knows():
    assert "none of them" in refused(b"%PDF-1.7 not a result")
    assert "not a result file Clearance knows" in refused(json.dumps({"hello": "world"}).encode())
    assert refused(b"") and refused(b"   ")


def test_it_refuses_json_nested_too_deep_before_streaming_it():
    deep = b'{"version": 2, "status": "success", "eval": {}, "samples": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}"
    assert "nested more than" in refused(deep)


def test_it_refuses_a_key_megabytes_long():
    hostile = b'{"evalId": "x", "results": {"' + b"k" * 2_000_000 + b'": [[], [], []]}}'
    assert "key longer than" in refused(hostile)


def test_it_refuses_a_garak_line_nested_too_deep_or_not_json():
    setup = b'{"entry_type": "start_run setup", "_config.version": "0.17.1"}\n'
    assert "Line 2" in refused(setup + b"[" * 50_000 + b"]" * 50_000 + b"\n")
    assert "Line 2" in refused(setup + b"{not json}\n")


def test_it_refuses_a_garak_report_that_never_evaluated():
    assert "no `eval` lines" in refused(b'{"entry_type": "start_run setup", "plugins.target_type": "test.Blank"}\n')


def _archive(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_it_refuses_an_archive_that_is_not_an_inspect_log_or_expands_too_far():
    assert "no header.json" in refused(_archive({"readme.txt": b"hello"}))
    # A member that expands to 80 MB from a few kilobytes: refused by its declared size, never expanded.
    header = json.dumps({"version": 2, "status": "success", "eval": {"task": "t", "model": "m"}}).encode()
    bomb = _archive({"header.json": header, "samples/1_epoch_1.json": b" " * (80 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    assert "larger than Clearance reads" in refused(bomb)


def test_it_refuses_an_inspect_log_of_an_unfinished_run_or_without_a_model():
    header = {"version": 2, "status": "started", "eval": {"task": "t", "model": "m"}}
    assert "had not finished" in refused(_archive({"header.json": json.dumps(header).encode()}))
    header = {"version": 2, "status": "success", "eval": {"task": "t"}}
    sample = {"id": 1, "scores": {"match": {"value": "C"}}}
    archive = _archive(
        {"header.json": json.dumps(header).encode(), "samples/1_epoch_1.json": json.dumps(sample).encode()}
    )
    assert "which model" in refused(archive)


def test_it_refuses_a_promptfoo_file_comparing_several_models():
    results = [
        {"provider": {"id": f"openai:chat:{model}"}, "success": True, "testCase": {"description": "t"}}
        for model in ("gpt-4o", "gpt-4o-mini")
    ]
    content = json.dumps({"evalId": "e", "results": {"version": 3, "results": results}}).encode()
    assert "2 models" in refused(content)


def test_it_refuses_more_distinct_tests_than_it_reads():
    results = [
        {"provider": {"id": "openai:chat:gpt-4o"}, "success": True, "testCase": {"description": f"test {n}"}}
        for n in range(MAX_TESTS + 1)
    ]
    content = json.dumps({"evalId": "e", "results": {"version": 3, "results": results}}).encode()
    assert "distinct tests" in refused(content)


def test_names_lose_control_characters_and_are_cut_to_their_limit():
    results = [
        {
            "provider": {"id": "openai:chat:gpt-4o\u202e"},
            "success": False,
            "testCase": {"description": "\x00\x1b[31mred\x07" + "x" * 500},
        }
    ]
    run = parse_file(io.BytesIO(json.dumps({"evalId": "e", "results": {"version": 3, "results": results}}).encode()))
    ((name, _),) = run.tests
    assert name.startswith("[31mred") and len(name) == 300 and "\x00" not in name and "\x1b" not in name
