"""Unit tests of the TUI's pure state: raw values, conditions, candidates and problem mapping (no Textual)."""

from __future__ import annotations

import subprocess
import sys

from wizard.core.answers import load_answers, parse_answers
from wizard.tui.state import WizardState, map_problems, save_answers


def test_state_module_does_not_import_textual() -> None:
    code = "import sys, wizard.tui.state, wizard.tui.services; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_fresh_state_holds_the_catalogue_defaults_as_typed() -> None:
    state = WizardState()
    assert state.get("project.name") == ""
    assert state.get("workload.peak_rps") == "20"
    assert state.get("workload.gpu") is False
    assert state.get("data.compliance") == []
    assert not state.dirty
    state.set("project.name", "demo")
    assert state.dirty and "project.name" in state.touched
    assert state.validate().ok


def test_integers_convert_only_when_they_parse() -> None:
    state = WizardState()
    state.set("project.name", "demo")
    state.set("workload.peak_rps", " 75 ")
    assert state.candidate()["workload"]["peak_rps"] == 75
    state.set("workload.peak_rps", "lots")
    assert state.candidate()["workload"]["peak_rps"] == "lots"
    assert state.values()["workload"]["peak_rps"] == 20  # conditions never see text for a number
    result = state.validate()
    assert not result.ok
    assert result.fields["workload.peak_rps"][0].startswith("found 'lots' (a string)")


def test_hidden_questions_are_left_out_of_the_candidate() -> None:
    state = WizardState()
    state.set("project.name", "demo")
    state.set("components.model_hosting", "sagemaker")
    state.set("platform.cloud", "gcp")
    assert not state.is_asked("components.model_hosting")
    assert "model_hosting" not in state.candidate()["components"]
    assert state.validate().ok  # the stale sagemaker value cannot contradict gcp
    assert state.get("components.model_hosting") == "sagemaker"  # but it is kept, as typed
    state.set("platform.cloud", "aws")
    assert state.candidate()["components"]["model_hosting"] == "sagemaker"


def test_contradictions_go_to_both_keys() -> None:
    lines = [
        "answers: components.ci: codepipeline contradicts platform.cloud: gcp; CodePipeline is an AWS service",
        "answers: data.compliance[1]: found 'hippa' (a string); allowed: any of: hipaa | gdpr",
        "answers: something odd",
    ]
    fields, general = map_problems(lines, ["components.ci", "platform.cloud", "data.compliance"])
    assert fields["components.ci"] == fields["platform.cloud"]
    assert fields["data.compliance"] == ("found 'hippa' (a string); allowed: any of: hipaa | gdpr",)
    assert general == ("something odd",)


def test_a_ruled_out_override_is_a_problem_of_the_blueprint_key() -> None:
    state = WizardState()
    state.set("project.name", "demo")
    state.set("blueprint", "app_runner")
    result = state.validate()
    assert not result.ok
    assert "ruled out by platform.existing_app_runner" in result.fields["blueprint"][0]


def test_load_save_round_trip(tmp_path) -> None:  # type: ignore[no-untyped-def]
    answers = parse_answers({"project": {"name": "round-trip"}, "workload": {"peak_rps": 7, "gpu": True}})
    state = WizardState()
    state.load(answers, tmp_path / "a.yaml")
    assert not state.dirty
    assert state.get("workload.peak_rps") == "7" and state.get("workload.gpu") is True
    assert state.get("platform.region") == ""  # the cloud's default region keeps following the cloud
    save_answers(state.candidate(), tmp_path / "a.yaml")
    assert load_answers(tmp_path / "a.yaml") == answers
