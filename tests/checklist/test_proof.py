"""Proof, not claims: every checklist item marked automated is checked against really rendered files.

For a few contrasting answer profiles of every blueprint (ECS on Fargate, App Runner, Elastic Beanstalk; Kubernetes,
which claims only the common app so far) the whole repository is rendered, then for every automated item of the
profile's checklist:
- each evidence entry is checked with a parser (python-hcl2 for Terraform, a Dockerfile reader, YAML, exact
  lines; `test` evidence runs that test of the generated app with pytest); every block an attribute path picks
  with `[key=value]` must comply, and
- every checkov check the item claims must appear in checkov's `passed_checks` on one of the evidence files,
  never in `failed_checks`, and must not be skipped on the evidence files. Checkov runs once per profile.

A static test (no tools) makes sure every automated claim in the catalogue is exercised, for every blueprint it
covers (a claim for `all` covers every blueprint), by a profile of that blueprint, so no claim can go unproven. Checkov has no App Runner checks: App Runner's own resources are proven by the parsers alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from wizard.core.answers import parse_answers
from wizard.core.checklist import (
    ALL_BLUEPRINTS,
    BLUEPRINT_IDS,
    Checklist,
    Evidence,
    applies,
    build_checklist,
    load_catalogue,
)
from wizard.core.conditions import matches
from wizard.core.render import render

EXISTING_APP_RUNNER = {"existing_app_runner": True}  # App Runner is only for accounts that already use it

# Contrasting profiles on every blueprint. Each automated item is proven on at least one profile of every
# blueprint it is automated for, `all` meaning every blueprint (see the static test below).
PROFILES: dict[str, tuple[dict[str, Any], str]] = {
    "public": (
        {"project": {"name": "hobby-demo"}, "data": {"sensitivity": "public"}, "budget": {"monthly_usd": 30}},
        "ecs_fargate",
    ),
    "internal": (
        {"project": {"name": "internal-demo"}, "components": {"database": "postgres", "frontend": True}},
        "ecs_fargate",
    ),
    "regulated": (
        {
            "project": {"name": "regulated-demo"},
            "data": {
                "sensitivity": "regulated",
                "pii": True,
                "compliance": ["hipaa", "pci_dss", "gdpr", "soc2"],
            },
            "components": {"database": "postgres", "frontend": True, "domain": "api.example.com"},
        },
        "ecs_fargate",
    ),
    "sagemaker": (
        {
            "project": {"name": "sm-demo"},
            "data": {"sensitivity": "confidential"},
            "components": {"model_hosting": "sagemaker"},
        },
        "ecs_fargate",
    ),
    # App Runner, public API: CMK, VPC connector to the database, WAF, SageMaker behind the instance role.
    "app-runner": (
        {
            "project": {"name": "ar-demo"},
            "platform": EXISTING_APP_RUNNER,
            "data": {"sensitivity": "confidential"},
            "components": {"database": "postgres", "model_hosting": "sagemaker"},
        },
        "app_runner",
    ),
    # App Runner without online callers, regulated personal data: private ingress, 35-day backups, no NAT.
    "app-runner-private": (
        {
            "project": {"name": "ar-batch"},
            "platform": EXISTING_APP_RUNNER,
            "workload": {"peak_rps": 0, "traffic_pattern": "batch"},
            "data": {"sensitivity": "regulated", "pii": True},
            "components": {"database": "postgres"},
        },
        "app_runner",
    ),
    # Elastic Beanstalk behind a load balancer with a database and a SageMaker endpoint.
    "beanstalk": (
        {
            "project": {"name": "eb-demo"},
            "data": {"sensitivity": "confidential"},
            "components": {"database": "postgres", "model_hosting": "sagemaker"},
        },
        "elastic_beanstalk",
    ),
    # Elastic Beanstalk for HIPAA: six-year retention (Beanstalk's log groups round it up), everything on.
    "beanstalk-hipaa": (
        {
            "project": {"name": "eb-clinic"},
            "data": {"sensitivity": "regulated", "pii": True, "compliance": ["hipaa"]},
            "components": {"database": "postgres", "frontend": True, "domain": "api.example.com"},
        },
        "elastic_beanstalk",
    ),
    # Elastic Beanstalk on a tiny budget: one instance without a load balancer.
    "beanstalk-hobby": (
        {"project": {"name": "eb-hobby"}, "data": {"sensitivity": "public"}, "budget": {"monthly_usd": 30}},
        "elastic_beanstalk",
    ),
    # Kubernetes (EKS) with a GPU and personal data: only the common app's claims (`all`) apply, and they are
    # proven on a Kubernetes render too (the image, the ignore files and the app's tests).
    "kubernetes-gpu": (
        {
            "project": {"name": "k8s-gpu"},
            "workload": {"gpu": True, "peak_rps": 100},
            "data": {"sensitivity": "confidential", "pii": True},
            "platform": {"ops_experience": "dedicated"},
        },
        "kubernetes",
    ),
}
PROOF_BLUEPRINTS = {blueprint for _, blueprint in PROFILES.values()}
TEMPLATED_BLUEPRINTS = ("ecs_fargate", "app_runner", "elastic_beanstalk")
"""Blueprints whose templates have landed: each needs proof profiles (Kubernetes claims only the common app)."""


def checklist_for(profile: str) -> Checklist:
    raw, blueprint = PROFILES[profile]
    return build_checklist(parse_answers(raw), blueprint)


# --- static: every claim is exercised --------------------------------------------------------------------


def test_every_templated_blueprint_has_proof_profiles() -> None:
    assert set(TEMPLATED_BLUEPRINTS) <= PROOF_BLUEPRINTS


def test_every_automated_claim_is_exercised_by_a_proof_profile() -> None:
    """An automated claim that no profile renders could never be proven: it must not exist.

    A claim for one blueprint needs a profile of that blueprint where the item applies; a claim for `all` needs
    one on every blueprint with proof profiles (unless that blueprint has a claim of its own, checked the same
    way); and every evidence entry must apply on one of those profiles.
    """
    checklists = {name: checklist_for(name) for name in PROFILES}
    problems: list[str] = []
    for item in load_catalogue().items:
        for claimed in item.automated_by:
            if claimed != ALL_BLUEPRINTS and claimed not in PROOF_BLUEPRINTS:
                problems.append(f"{item.id}: automated for {claimed}, which no proof profile renders")
        for blueprint in BLUEPRINT_IDS:  # an `all` claim holds for every blueprint, so each needs a profile
            automation = item.automation_for(blueprint)
            if automation is None:
                continue
            profiles = [
                name
                for name, checklist in checklists.items()
                if checklist.blueprint == blueprint and applies(item, checklist.values)
            ]
            if not profiles:
                problems.append(f"{item.id} ({blueprint}): applies to no proof profile of {blueprint}")
                continue
            if not any(checklists[p].get(item.id).automated for p in profiles):
                problems.append(f"{item.id} ({blueprint}): automated on no proof profile of {blueprint}")
            for evidence in automation.evidence:
                if not any(matches(evidence.when, checklists[p].values) for p in profiles):
                    problems.append(
                        f"{item.id} ({blueprint}): evidence on {evidence.file} ({evidence.kind}) never applies"
                    )
    assert not problems, "\n".join(problems)


def test_automated_items_in_proof_profiles_really_are_automated() -> None:
    """Sanity: the proof profiles cover a good share of the automated catalogue."""
    automated = {i.id for name in PROFILES for i in checklist_for(name).items if i.automated}
    claims = {item.id for item in load_catalogue().items if item.automated_by}
    assert automated == claims


# --- parsers ---------------------------------------------------------------------------------------------


def _unquote(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def _unwrap(value: Any) -> Any:
    """python-hcl2 flavours wrap attribute values in one-element lists; take them out."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return _unquote(value)


def _norm(value: Any) -> str:
    value = _unwrap(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _squash(text: str) -> str:
    """Normalise an expression for `contains`: no whitespace, quotes or `${}`, lower case, `:` as `=`."""
    return re.sub(r"[\s'\"${}]", "", text).lower().replace(":", "=")


def _get(mapping: Mapping[str, Any], key: str) -> tuple[bool, Any]:
    for candidate, value in mapping.items():
        if _unquote(candidate) == key:
            return True, value
    return False, None


def _dicts(node: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, Mapping):
        yield node
    elif isinstance(node, list):
        for entry in node:
            yield from _dicts(entry)


_SEGMENT = re.compile(r"^([A-Za-z0-9_\-]+)(?:\[([A-Za-z0-9_\-]+)=([^\]]*)\])?$")


def _split_path(path: str) -> list[str]:
    """Split a dotted attribute path, keeping dots inside `[key=value]` filters."""
    return re.findall(r"[^.\[]+(?:\[[^\]]*\])?", path)


def _walk(node: Any, path: list[str]) -> list[Any]:
    """Return the values at a dotted path, following (repeated) nested blocks; `blk[key=value]` filters."""
    segment = _SEGMENT.match(path[0])
    assert segment, f"bad attribute path segment {path[0]!r}"
    key, filter_key, filter_value = segment.groups()
    found: list[Any] = []
    for container in _dicts(node):
        present, value = _get(container, key)
        if not present:
            continue
        if filter_key is not None:
            value = [block for block in _dicts(value) if _norm(_get(block, filter_key)[1]) == filter_value]
            if not value:
                continue
        if len(path) == 1:
            found.append(value)
        else:
            found.extend(_walk(value, path[1:]))
    return found


def _hcl_blocks(doc: Mapping[str, Any], evidence: Evidence) -> list[Mapping[str, Any]]:
    """Return the bodies of the blocks an evidence entry names in a parsed HCL file."""
    bodies: list[Mapping[str, Any]] = []
    if evidence.resource is not None or evidence.data_source is not None:
        section = "resource" if evidence.resource is not None else "data"
        wanted = evidence.resource or evidence.data_source
        for entry in _dicts(doc.get(section, [])):
            for type_name, named in entry.items():
                if _unquote(type_name) != wanted:
                    continue
                for block_name, body in named.items():
                    if evidence.name is None or _unquote(block_name) == evidence.name:
                        bodies.extend(_dicts(body))
    else:
        section, wanted = ("module", evidence.module) if evidence.module else ("variable", evidence.variable)
        for entry in _dicts(doc.get(section, [])):
            for block_name, body in entry.items():
                if _unquote(block_name) == wanted:
                    bodies.extend(_dicts(body))
    return bodies


def _value_ok(value: Any, evidence: Evidence, values: Mapping[str, Any]) -> bool:
    if evidence.contains is not None:
        inner = _unwrap(value)
        if isinstance(inner, list):
            return any(_norm(v) == evidence.contains for v in inner)
        return _squash(evidence.contains) in _squash(str(inner))
    if evidence.equals is None and evidence.equals_value is None:
        return True  # the attribute is set
    expected = evidence.expected(values)
    if isinstance(expected, list):
        inner = _unwrap(value)
        return isinstance(inner, list) and [_norm(v) for v in inner] == [_norm(v) for v in expected]
    return _norm(value) == _norm(expected)


def _docker_instructions(text: str) -> list[tuple[str, str]]:
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        keyword, _, args = full.partition(" ")
        instructions.append((keyword.upper(), " ".join(args.split())))
    return instructions


def check_evidence(root: Path, evidence: Evidence, values: Mapping[str, Any]) -> str | None:
    """Return None when the evidence holds in the rendered repository at `root`, else what is wrong."""
    import hcl2

    path = root / evidence.file
    if not path.is_file():
        return f"{evidence.file} was not rendered"
    text = path.read_text(encoding="utf-8")
    kind = evidence.kind
    if kind == "hcl_attribute":
        assert evidence.hcl_attribute is not None
        present, value = _get(hcl2.loads(text), evidence.hcl_attribute)
        if not present:
            return f"{evidence.file}: no {evidence.hcl_attribute}"
        ok = _value_ok(value, evidence, values)
        return None if ok else f"{evidence.file}: {evidence.hcl_attribute} is {value!r}, not as claimed"
    if kind in ("resource", "data_source", "module", "variable"):
        blocks = _hcl_blocks(hcl2.loads(text), evidence)
        if not blocks:
            return f"{evidence.file}: no {evidence.block_label()} block"
        assert evidence.attribute is not None
        attr_path = _split_path(evidence.attribute)
        for body in blocks:
            found = _walk(body, attr_path)
            if evidence.absent:
                if found:
                    return f"{evidence.file}: {evidence.block_label()} sets {evidence.attribute} = {found!r}"
                continue
            if not found:
                return f"{evidence.file}: {evidence.block_label()} has no {evidence.attribute}"
            results = [_value_ok(value, evidence, values) for value in found]
            # Blocks picked with `[key=value]` (two `RetentionInDays` settings, say) must all comply; otherwise
            # one matching value is enough (a CloudFront distribution's S3 origin among its origins).
            if not (all(results) if any("[" in segment for segment in attr_path) else any(results)):
                return f"{evidence.file}: {evidence.block_label()} {evidence.attribute} is {found!r}, not as claimed"
        return None
    if kind == "instruction":
        assert evidence.matches is not None
        found_args = [args for keyword, args in _docker_instructions(text) if keyword == evidence.instruction]
        if not found_args:
            return f"{evidence.file}: no {evidence.instruction} instruction"
        bad = [args for args in found_args if not re.search(evidence.matches, args)]
        return (
            f"{evidence.file}: {evidence.instruction} {bad} does not match /{evidence.matches}/"
            if bad
            else None
        )
    if kind == "line":
        lines = [line.strip() for line in text.splitlines()]
        return None if evidence.line in lines else f"{evidence.file}: no line {evidence.line!r}"
    if kind == "yaml_path":
        assert evidence.yaml_path is not None
        node: Any = yaml.safe_load(text)
        for part in evidence.yaml_path.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return f"{evidence.file}: no {evidence.yaml_path}"
            node = node[part]
        return (
            None
            if _value_ok(node, evidence, values)
            else f"{evidence.file}: {evidence.yaml_path} is {node!r}"
        )
    return None  # `test` evidence is run by test_app_tests_named_as_evidence_pass


# --- rendering and checkov, once per profile -------------------------------------------------------------


@dataclass
class CheckovOutcome:
    passed: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    failed: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    skipped: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def _require(tool: str) -> str:
    here = Path(sys.executable).parent
    found = shutil.which(tool, path=os.pathsep.join([str(here), os.environ.get("PATH", "")]))
    if found:
        return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{tool} is not installed; in CI a missing validator is a failure")
    pytest.skip(f"{tool} is not installed")


def _require_module(name: str) -> None:
    try:
        __import__(name)
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{name} is not installed; in CI a missing validator is a failure")
        pytest.skip(f"{name} is not installed")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Checklist]]:
    out: dict[str, tuple[Path, Checklist]] = {}
    for name, (raw, blueprint) in PROFILES.items():
        answers = parse_answers(raw)
        root = tmp_path_factory.mktemp(f"proof-{name}")
        for file in render(answers, blueprint):
            target = root / file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(file.content, encoding="utf-8")
        out[name] = (root, build_checklist(answers, blueprint))
    return out


@pytest.fixture(scope="module")
def checkov(rendered: dict[str, tuple[Path, Checklist]]) -> dict[str, CheckovOutcome]:
    """Run checkov once per profile (in parallel) and index its results by check id and file."""
    exe = _require("checkov")
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "PYTHONWARNINGS": "ignore"}
    # Not --quiet: with it checkov leaves `passed_checks` out of the JSON report.
    cmd = [exe, "--compact", "--skip-download", "-o", "json", "--framework", "terraform", "dockerfile", "-d"]
    procs = {
        name: subprocess.Popen(
            [*cmd, str(root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for name, (root, _) in rendered.items()
    }
    outcomes: dict[str, CheckovOutcome] = {}
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=900)
        assert proc.returncode in (0, 1), f"checkov crashed on {name}: {stderr[-2000:]}"
        reports = json.loads(stdout)
        outcome = CheckovOutcome()
        for report in reports if isinstance(reports, list) else [reports]:
            results = report.get("results", {})
            for key, target in (
                ("passed_checks", outcome.passed),
                ("failed_checks", outcome.failed),
                ("skipped_checks", outcome.skipped),
            ):
                for check in results.get(key, []):
                    target[check["check_id"]].add(check["file_path"].lstrip("/"))
        outcomes[name] = outcome
    return outcomes


# --- the proofs -----------------------------------------------------------------------------------------


@pytest.mark.validators
@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_evidence_of_automated_items_exists(
    profile: str, rendered: dict[str, tuple[Path, Checklist]]
) -> None:
    _require_module("hcl2")
    root, checklist = rendered[profile]
    problems: list[str] = []
    for item in checklist.items:
        if not item.automated:
            continue
        assert item.evidence, f"{item.id} is automated without evidence"
        for evidence in item.evidence:
            problem = check_evidence(root, evidence, checklist.values)
            if problem:
                problems.append(f"{item.id}: {problem}")
    assert not problems, "\n".join(problems)


@pytest.mark.validators
@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_claimed_checkov_checks_pass(
    profile: str, rendered: dict[str, tuple[Path, Checklist]], checkov: dict[str, CheckovOutcome]
) -> None:
    _, checklist = rendered[profile]
    outcome = checkov[profile]
    problems: list[str] = []
    for item in checklist.items:
        if not item.automated:
            continue
        files = {e.file for e in item.evidence}
        for check in item.checkov:
            if not outcome.passed.get(check, set()) & files:
                problems.append(f"{item.id}: {check} did not pass on {sorted(files)}")
            if outcome.failed.get(check):
                problems.append(f"{item.id}: {check} failed on {sorted(outcome.failed[check])}")
            if outcome.skipped.get(check, set()) & files:
                problems.append(f"{item.id}: {check} is skipped on {sorted(outcome.skipped[check] & files)}")
    assert not problems, "\n".join(problems)


@pytest.mark.validators
@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_app_tests_named_as_evidence_pass(profile: str, rendered: dict[str, tuple[Path, Checklist]]) -> None:
    root, checklist = rendered[profile]
    node_ids = sorted(
        {
            f"{Path(e.file).relative_to('app').as_posix()}::{e.test}"
            for item in checklist.items
            if item.automated
            for e in item.evidence
            if e.kind == "test"
        }
    )
    if not node_ids:
        pytest.skip("no automated item of this profile is proven by an app test")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", *node_ids],
        cwd=root / "app",
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    for node_id in node_ids:
        assert f"PASSED {node_id}" in result.stdout, (
            f"{node_id} did not run and pass:\n{result.stdout[-2000:]}"
        )
