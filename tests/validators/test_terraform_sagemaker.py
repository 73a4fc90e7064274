"""Validates SageMaker model hosting (`components.model_hosting: sagemaker`) on every AWS blueprint with the real tools.

The shared module `infra/modules/sagemaker` (model, KMS-encrypted endpoint configuration, endpoint, auto
scaling, execution role, alarms) is called by each blueprint's stack once `sagemaker_image_uri` is set. Profiles
cover ECS on Fargate, App Runner and Elastic Beanstalk, with and without a GPU, with data capture (data that may
be kept) and with the model's network interfaces in the VPC and no capture (confidential and regulated data).
(The Kubernetes blueprint's call is tested with the EKS Terraform, tests/validators/test_terraform_eks.py.)

Every profile is rendered once, then: `terraform fmt -check`; `terraform init` (shared per module layout) +
`terraform validate` for both environment roots; checkov once per profile in the background (zero failed
checks, every skip justified and listed in infra/README.md); byte-identical renders. `terraform plan` against
moto runs on a small root that calls the module directly with an image set (the environment roots create the
endpoint only then), once with a GPU type in the VPC and once with data capture. Content tests check what the
tools cannot: the posture decisions (network isolation, VPC, data capture), the instance type from
`pick_sagemaker_instance`, least-privilege invoke, and that the API needs no GPU.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import answers_dict, require_tool, tool_path
from wizard.core.answers import parse_answers
from wizard.core.cost import pick_sagemaker_instance
from wizard.core.posture import derive_posture
from wizard.core.render import RenderedFile, render
from wizard.core.sizing import size_workload

pytestmark = pytest.mark.validators

TIMEOUT = 300
# The brief aims at 10 skip annotations per repository; the Elastic Beanstalk profile has exactly 10 (shared
# modules, the dev database, the Beanstalk module's CKV_AWS_312 and CKV2_AWS_5s). The SageMaker module has none.
MAX_SKIP_ANNOTATIONS = 10
MIN_REASON_CHARS = 40
SCANNED = ("environments", "modules")
ENVS = ("dev", "prod")
SAGEMAKER = {"model_hosting": "sagemaker"}

# profile -> (blueprint, answers)
PROFILES: dict[str, tuple[str, dict[str, Any]]] = {
    # internal data may be kept: data capture on, SageMaker's own network.
    "ecs-internal-capture": (
        "ecs_fargate",
        answers_dict(
            project={"name": "sm-ecs"},
            workload={"peak_rps": 40, "model_size_mb": 300},
            data={"sensitivity": "internal"},
            components=SAGEMAKER,
        ),
    ),
    # confidential data and a GPU model: a GPU instance type (local NVMe storage, so no KMS key on the
    # endpoint configuration), network interfaces in the VPC with the tasks' security group, no capture.
    "ecs-confidential-gpu": (
        "ecs_fargate",
        answers_dict(
            project={"name": "sm-gpu"},
            workload={"peak_rps": 20, "gpu": True, "model_size_mb": 4000},
            data={"sensitivity": "confidential"},
            components=SAGEMAKER,
            budget={"monthly_usd": 5000},
        ),
    ),
    # regulated card data on App Runner without a database: the model gets its own security group in a VPC
    # that has no NAT; network isolation, no capture.
    "apprunner-regulated-pci": (
        "app_runner",
        answers_dict(
            project={"name": "sm-runner"},
            platform={"existing_app_runner": True},
            data={"sensitivity": "regulated", "compliance": ["pci_dss"]},
            components=SAGEMAKER,
        ),
    ),
    # personal data on Elastic Beanstalk with a database: the instances' security group, no capture.
    "beanstalk-confidential-db": (
        "elastic_beanstalk",
        answers_dict(
            project={"name": "sm-beanstalk"},
            workload={"peak_rps": 150, "traffic_pattern": "spiky", "model_size_mb": 2500},
            data={"sensitivity": "confidential", "pii": True, "compliance": ["gdpr"]},
            components={**SAGEMAKER, "database": "postgres"},
        ),
    ),
}


# --- rendering -------------------------------------------------------------------------------------------


def render_profile(profile: str) -> list[RenderedFile]:
    blueprint, answers = PROFILES[profile]
    return render(parse_answers(answers), blueprint)


def write(files: list[RenderedFile], root: Path) -> Path:
    for file in files:
        path = root / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(file.content, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Render every profile once; a copy of its Terraform (`<root>-checkov`) is made before any init."""
    roots: dict[str, Path] = {}
    for profile in PROFILES:
        root = write(render_profile(profile), tmp_path_factory.mktemp(profile))
        for sub in SCANNED:
            shutil.copytree(root / "infra" / sub, root.parent / f"{root.name}-checkov" / "infra" / sub)
        roots[profile] = root
    return roots


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


def tf_env() -> dict[str, str]:
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"}
    env.pop("TF_WORKSPACE", None)
    return env


def text(root: Path, path: str) -> str:
    return (root / path).read_text(encoding="utf-8")


def block(source: str, header: str) -> str:
    """Return the text of the HCL block that starts with `header` (up to its matching brace)."""
    start = source.index(header)
    depth = 0
    for end in range(source.index("{", start), len(source)):
        depth += {"{": 1, "}": -1}.get(source[end], 0)
        if depth == 0:
            return source[start : end + 1]
    raise AssertionError(f"unbalanced block {header}")


# --- checkov, in the background from the first test on ------------------------------------------------


def scan(checkov: str, target: Path) -> subprocess.CompletedProcess[str]:
    argv = [checkov, "-d", str(target), "--quiet", "--compact", "--skip-download", "--framework", "terraform",
            "-o", "json"]  # fmt: skip
    return run(argv, cwd=target, env={**os.environ, "BC_SKIP_MAPPING": "TRUE"})


@pytest.fixture(scope="module", autouse=True)
def checkov_runs(rendered: dict[str, Path]) -> Iterator[dict[str, Future[subprocess.CompletedProcess[str]]]]:
    """Start checkov for every profile, two at a time, while the other tests run."""
    checkov = tool_path("checkov")
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {
            profile: pool.submit(scan, checkov, root.parent / f"{root.name}-checkov")
            for profile, root in rendered.items()
            if checkov
        }
        yield futures
        for future in futures.values():
            future.cancel()


# --- terraform ------------------------------------------------------------------------------------------


def roots_to_validate(profiles: Any) -> list[tuple[str, str]]:
    return [(p, f"environments/{env}") for p in profiles for env in ENVS]


MODULE_CALL = re.compile(r'^module\s+"([^"]+)"\s*\{.*?^\s*source\s*=\s*"([^"]+)"', re.M | re.S)


def layout(root: Path) -> str:
    """Return a key of the module tree a root calls: roots with the same key can share one `terraform init`."""
    digest = hashlib.sha256()
    pending, seen = [root], set()
    while pending:
        directory = pending.pop()
        if directory in seen:
            continue
        seen.add(directory)
        for path in sorted(directory.glob("*.tf")):
            for name, source in MODULE_CALL.findall(path.read_text(encoding="utf-8")):
                digest.update(f"{directory.name}:{name}:{source}\n".encode())
                pending.append((directory / source).resolve())
    return digest.hexdigest()


def validate(terraform: str, directory: Path) -> list[str]:
    done = run([terraform, "validate", "-json", "-no-color"], directory, tf_env())
    report = json.loads(done.stdout)
    problems = [
        f"{d['severity']}: {d['summary']}: {d.get('detail', '')} ({d.get('range', {}).get('filename', '?')})"
        for d in report.get("diagnostics", [])
    ]
    return problems if report["valid"] or problems else [done.stderr]


@pytest.fixture(scope="module")
def validations(rendered: dict[str, Path]) -> dict[tuple[str, str], list[str]]:
    """`terraform init` once per distinct layout, then `validate` every root; returns (profile, root) -> problems."""
    terraform = require_tool("terraform")
    targets = {key: rendered[key[0]] / "infra" / key[1] for key in roots_to_validate(rendered)}
    groups: dict[str, list[tuple[str, str]]] = {}
    for key, directory in targets.items():
        groups.setdefault(layout(directory), []).append(key)

    def init(directory: Path) -> subprocess.CompletedProcess[str]:
        return run([terraform, "init", "-backend=false", "-input=false", "-no-color"], directory, tf_env())

    results: dict[tuple[str, str], list[str]] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        leaders = {name: members[0] for name, members in groups.items()}
        inits = dict(zip(leaders, pool.map(init, [targets[k] for k in leaders.values()]), strict=True))
        for name, members in groups.items():
            leader = targets[members[0]]
            if inits[name].returncode != 0:
                for key in members:
                    results[key] = [f"terraform init failed in {leader}:\n{inits[name].stderr}"]
                continue
            for key in members[1:]:
                shutil.copytree(leader / ".terraform", targets[key] / ".terraform", symlinks=True)
                shutil.copy2(leader / ".terraform.lock.hcl", targets[key] / ".terraform.lock.hcl")
        todo = [key for key in targets if key not in results]
        for key, problems in zip(
            todo, pool.map(lambda k: validate(terraform, targets[k]), todo), strict=True
        ):
            results[key] = problems
    return results


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_terraform_fmt(profile: str, rendered: dict[str, Path]) -> None:
    terraform = require_tool("terraform")
    done = run(
        [terraform, "fmt", "-check", "-recursive", "-diff", "-no-color", *SCANNED],
        rendered[profile] / "infra",
    )
    assert done.returncode == 0, f"terraform fmt would change files:\n{done.stdout}{done.stderr}"


@pytest.mark.parametrize(("profile", "root"), roots_to_validate(sorted(PROFILES)))
def test_terraform_validate(profile: str, root: str, validations: dict[tuple[str, str], list[str]]) -> None:
    problems = validations[(profile, root)]
    assert not problems, f"terraform validate {profile} {root}:\n" + "\n".join(problems)


@pytest.fixture(scope="module")
def fake_aws() -> Iterator[str]:
    """Start moto's server on a free local port and return its URL."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:  # moto[server] (with flask) is a test dependency
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"moto[server] is not installed ({exc}); CI must have every validator")
        pytest.skip(f"moto[server] is not installed ({exc})")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


# --- checkov -----------------------------------------------------------------------------------------------


SKIP_COMMENT = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)\s*(?::\s*(.*))?$", re.M)


def inline_skips(infra: Path) -> list[tuple[str, str, str]]:
    """Return (file, check id, reason) for every `# checkov:skip=` comment in the scanned Terraform."""
    found = []
    for sub in SCANNED:
        for path in sorted((infra / sub).rglob("*.tf")):
            if ".terraform" in path.parts:
                continue
            for check, reason in SKIP_COMMENT.findall(path.read_text(encoding="utf-8")):
                found.append((str(path.relative_to(infra)), check, (reason or "").strip()))
    return found


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_checkov_finds_nothing(
    profile: str, checkov_runs: dict[str, Future[subprocess.CompletedProcess[str]]]
) -> None:
    require_tool("checkov")
    done = checkov_runs[profile].result(timeout=TIMEOUT)
    assert done.returncode in (0, 1), f"checkov crashed:\n{done.stderr[-3000:]}"
    data = json.loads(done.stdout)
    reports = data if isinstance(data, list) else [data]
    summaries = [r["summary"] for r in reports if r.get("check_type") == "terraform"]
    assert summaries, f"checkov found no Terraform: {done.stdout[:500]}"
    assert all(s["parsing_errors"] == 0 for s in summaries), summaries
    failed = [
        f"{c['check_id']} {c['resource']} ({c['file_path']}:{c['file_line_range']})"
        for r in reports
        for c in r.get("results", {}).get("failed_checks", [])
    ]
    assert not failed, "checkov failed checks:\n" + "\n".join(failed)


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_checkov_skips_are_justified_and_documented(profile: str, rendered: dict[str, Path]) -> None:
    infra = rendered[profile] / "infra"
    skips = inline_skips(infra)
    assert len(skips) <= MAX_SKIP_ANNOTATIONS, f"{len(skips)} skips: {skips}"
    readme = text(infra, "README.md")
    for file, check, reason in skips:
        assert len(reason) >= MIN_REASON_CHARS, f"{file}: the reason for skipping {check} is too short"
        assert check in readme, f"{file}: {check} is skipped but not explained in infra/README.md"


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_rendering_is_byte_identical(profile: str) -> None:
    assert render_profile(profile) == render_profile(profile)


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_dockerfile_and_secrets_scanners_find_nothing(profile: str, rendered: dict[str, Path]) -> None:
    """hadolint on the image's Dockerfile; detect-secrets on the Terraform (ARNs of secrets are not secrets)."""
    hadolint = require_tool("hadolint")
    root = rendered[profile]
    done = run([hadolint, "Dockerfile"], root / "app")
    assert done.returncode == 0, f"hadolint:\n{done.stdout}{done.stderr}"
    detect = require_tool("detect-secrets")
    scanned = root.parent / f"{root.name}-checkov"
    done = run([detect, "scan", "--all-files", "."], scanned)
    assert done.returncode == 0, done.stderr
    findings = {
        path: [f["line_number"] for f in found] for path, found in json.loads(done.stdout)["results"].items()
    }
    assert not findings, f"detect-secrets: {findings}"


# --- terraform plan of the module against moto ------------------------------------------------------


# A root that calls the module the way the stacks do, with an image set: the GPU/VPC path and the capture path.
PLAN_ROOT = """
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = "us-east-1"
}

module "gpu_in_vpc" {
  source = "./modules/sagemaker"

  name                                = "sm-gpu-prod"
  image_uri                           = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.3.0-gpu-py311"
  model_data_key                      = "models/model.tar.gz"
  model_bucket_arn                    = "arn:aws:s3:::sm-gpu-prod-models-123456789012"
  kms_key_arn                         = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  instance_type                       = "ml.g5.xlarge"
  min_instances                       = 2
  max_instances                       = 4
  invocations_per_instance_per_minute = 1200
  log_retention_days                  = 90
  alarm_topic_arn                     = "arn:aws:sns:us-east-1:123456789012:alarms"
  subnet_ids                          = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]
  security_group_ids                  = ["sg-0123456789abcdef0"]
}

module "cpu_with_capture" {
  source = "./modules/sagemaker"

  name                                = "a-very-long-project-name-for-the-endpoint-prod"
  image_uri                           = "123456789012.dkr.ecr.us-east-1.amazonaws.com/my-model@sha256:0123456789abcdef"
  model_bucket_arn                    = "arn:aws:s3:::capture-models-123456789012"
  kms_key_arn                         = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
  instance_type                       = "ml.m5.large"
  invocations_per_instance_per_minute = 600
  data_capture                        = true
  log_retention_days                  = 30
}
"""


def test_terraform_plan_of_the_module(rendered: dict[str, Path], fake_aws: str, tmp_path: Path) -> None:
    terraform = require_tool("terraform")
    root = tmp_path / "root"
    modules = rendered["ecs-internal-capture"] / "infra" / "modules"
    for name in ("sagemaker", "log_group"):
        shutil.copytree(modules / name, root / "modules" / name, ignore=shutil.ignore_patterns(".terraform*"))
    (root / "main.tf").write_text(PLAN_ROOT, encoding="utf-8")
    env = {
        **tf_env(),
        "AWS_ENDPOINT_URL": fake_aws,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE"):
        env.pop(name, None)
    init = run([terraform, "init", "-input=false", "-no-color"], root, env)
    assert init.returncode == 0, init.stderr
    done = run(
        [terraform, "plan", "-input=false", "-no-color", "-refresh=false", "-lock=false", "-out=plan"],
        root,
        env,
    )
    assert done.returncode == 0, f"terraform plan failed:\n{done.stderr[-4000:]}"
    shown = run([terraform, "show", "-json", "plan"], root, env)
    resources = {
        r["address"]: r["values"]
        for r in json.loads(shown.stdout)["planned_values"]["root_module"]["child_modules"]
        for r in r["resources"]
    }
    gpu_config = resources["module.gpu_in_vpc.aws_sagemaker_endpoint_configuration.this"]
    assert gpu_config.get("kms_key_arn") is None, "SageMaker rejects a KMS key for instances with local NVMe"
    assert not gpu_config["data_capture_config"]
    gpu_model = resources["module.gpu_in_vpc.aws_sagemaker_model.this"]
    assert gpu_model["enable_network_isolation"] is True and gpu_model["vpc_config"]
    assert gpu_model["primary_container"][0]["model_data_url"] == (
        "s3://sm-gpu-prod-models-123456789012/models/model.tar.gz"
    )
    cpu_config = resources["module.cpu_with_capture.aws_sagemaker_endpoint_configuration.this"]
    assert cpu_config["kms_key_arn"].startswith("arn:aws:kms:")
    capture = cpu_config["data_capture_config"][0]
    assert capture["destination_s3_uri"] == (
        "s3://capture-models-123456789012/data-capture/a-very-long-project-name-for-the-endpoint-prod"
    )
    assert capture["kms_key_id"].startswith("arn:aws:kms:") and len(capture["capture_options"]) == 2
    assert len(cpu_config["name_prefix"]) <= 37
    target = resources["module.cpu_with_capture.aws_appautoscaling_target.this"]
    assert target["scalable_dimension"] == "sagemaker:variant:DesiredInstanceCount"
    assert "module.cpu_with_capture.aws_cloudwatch_metric_alarm.errors[0]" not in resources
    assert "module.gpu_in_vpc.aws_cloudwatch_metric_alarm.errors[0]" in resources
    # The role's policy is only known at apply (it names the role's log group); the plan proves that the
    # image URI parses into a repository ARN (a regex in locals) and that both policies are planned.
    assert "module.gpu_in_vpc.aws_iam_role_policy.execution" in resources
    assert "module.cpu_with_capture.aws_iam_role_policy.execution" in resources


# --- what the tools cannot check -------------------------------------------------------------------------


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_posture_decides_isolation_vpc_and_capture(profile: str, rendered: dict[str, Path]) -> None:
    blueprint, data = PROFILES[profile]
    answers = parse_answers(data)
    posture = derive_posture(answers)
    infra = rendered[profile] / "infra"
    module = text(infra, "modules/sagemaker/main.tf")
    assert "enable_network_isolation = var.network_isolation" in module
    assert "default     = true" in block(
        text(infra, "modules/sagemaker/variables.tf"), 'variable "network_isolation"'
    )
    assert "kms_key_arn = local.local_storage ? null : var.kms_key_arn" in module
    stack = text(infra, "modules/stack/main.tf")
    call = block(stack, 'module "model_endpoint"')
    assert 'count  = var.sagemaker_image_uri == "" ? 0 : 1' in call
    assert "network_isolation" not in call, "the stacks keep the module's default (isolated)"
    assert f"data_capture                        = {'true' if posture.data_capture else 'false'}" in call
    assert ("subnet_ids         = module.network.private_subnet_ids" in call) == posture.sensitive
    if posture.sensitive:
        expected = {
            "ecs_fargate": "[module.service.task_security_group_id]",
            "elastic_beanstalk": "[module.environment.instance_security_group_id]",
            "app_runner": "[module.service.connector_security_group_id]"
            if answers.components.database == "postgres"
            else "[aws_security_group.model.id]",
        }[blueprint]
        assert f"security_group_ids = {expected}" in call
    if posture.egress == "endpoints":
        assert '"sagemaker.runtime"' in stack or blueprint == "app_runner"


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_sizing_and_the_api_tier(profile: str, rendered: dict[str, Path]) -> None:
    _, data = PROFILES[profile]
    answers = parse_answers(data)
    root = rendered[profile]
    for env in ENVS:
        main = text(root, f"infra/environments/{env}/main.tf")
        assert f'sagemaker_instance_type                       = "{pick_sagemaker_instance(answers)}"' in main
        low = int(re.search(r"sagemaker_min_instances\s*= (\d+)", main).group(1))  # type: ignore[union-attr]
        high = int(re.search(r"sagemaker_max_instances\s*= (\d+)", main).group(1))  # type: ignore[union-attr]
        target = int(
            re.search(r"sagemaker_invocations_per_instance_per_minute = (\d+)", main).group(1)  # type: ignore[union-attr]
        )
        assert 1 <= low <= high <= 20 and target >= 1
        online = answers.workload.peak_rps > 0 and answers.workload.traffic_pattern in ("steady", "spiky")
        assert low == (2 if env == "prod" and online else 1)
        tfvars = text(root, f"infra/environments/{env}/terraform.tfvars")
        assert 'sagemaker_image_uri      = ""' in tfvars
        assert f'sagemaker_endpoint_name = "{answers.project.name}-{env}"' in tfvars
    # The API tier only forwards requests: no GPU, no model in the image, the SageMaker client instead.
    assert size_workload(answers).gpu_count == 0
    assert (root / "app/service/sagemaker.py").is_file() and not (root / "app/service/model.py").exists()
    assert not (root / "app/model").exists()
    stack = text(root, "infra/modules/stack/main.tf")
    assert "SAGEMAKER_ENDPOINT_NAME = var.sagemaker_endpoint_name" in stack
    assert "sagemaker_endpoint_arns = [local.sagemaker_endpoint_arn]" in stack
    assert ":endpoint/${lower(var.sagemaker_endpoint_name)}" in stack


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_execution_role_is_least_privilege(profile: str, rendered: dict[str, Path]) -> None:
    iam = text(rendered[profile] / "infra" / "modules" / "sagemaker", "iam.tf")
    assert 'identifiers = ["sagemaker.amazonaws.com"]' in iam and 'variable = "aws:SourceAccount"' in iam
    policy = block(iam, 'data "aws_iam_policy_document" "execution"')
    wildcard = re.findall(r'sid\s*=\s*"(\w+)"[^}]*?resources = \["\*"\]', policy, re.S)
    assert sorted(wildcard) == ["DescribeNetwork", "PublishMetrics", "RegistryLogin"], wildcard
    assert 'values   = ["/aws/sagemaker/*", "AWS/SageMaker"]' in policy
    assert "resources = [local.image_repository_arn]" in policy
    assert 'resources = ["${var.model_bucket_arn}/${var.model_prefix}*"]' in policy
