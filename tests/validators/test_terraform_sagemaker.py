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

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import answers_dict
from tests.validators._support import (
    Scans,
    assert_checkov_clean,
    assert_dockerfile_and_secrets_clean,
    assert_fmt_clean,
    assert_skips_justified,
    background_checkov,
    block,
    checkov_copy,
    environment_roots,
    fake_aws_env,
    inline_skips,
    moto_server,
    require_tool,
    run,
    terraform_files,
    text,
    tf_env,
    validate_roots,
    write_repo,
)
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


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Render every profile once; a copy of its Terraform (`checkov_copy(root)`) is made before any init."""
    return {
        profile: write_repo(render_profile(profile), tmp_path_factory.mktemp(profile), SCANNED)
        for profile in PROFILES
    }


# --- checkov, in the background from the first test on ------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def checkov_runs(rendered: dict[str, Path]) -> Iterator[Scans | None]:
    """Start checkov for every profile, two at a time, while the other tests run."""
    with background_checkov({p: checkov_copy(root) for p, root in rendered.items()}) as scans:
        yield scans


# --- terraform ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def validations(rendered: dict[str, Path]) -> dict[tuple[str, str], list[str]]:
    """`terraform init` once per distinct layout, then `validate` every root; returns (profile, root) -> problems."""
    terraform = require_tool("terraform")
    targets = {key: rendered[key[0]] / "infra" / key[1] for key in environment_roots(rendered)}
    return validate_roots(terraform, targets, tf_env())


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_terraform_fmt(profile: str, rendered: dict[str, Path]) -> None:
    assert_fmt_clean(rendered[profile] / "infra", SCANNED)


@pytest.mark.parametrize(("profile", "root"), environment_roots(sorted(PROFILES)))
def test_terraform_validate(profile: str, root: str, validations: dict[tuple[str, str], list[str]]) -> None:
    problems = validations[(profile, root)]
    assert not problems, f"terraform validate {profile} {root}:\n" + "\n".join(problems)


@pytest.fixture(scope="module")
def fake_aws() -> Iterator[str]:
    """Start moto's server on a free local port and return its URL."""
    with moto_server() as url:
        yield url


# --- checkov -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_checkov_finds_nothing(profile: str, checkov_runs: Scans | None) -> None:
    require_tool("checkov")
    assert checkov_runs is not None
    assert_checkov_clean(checkov_runs.result(profile))


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_checkov_skips_are_justified_and_documented(profile: str, rendered: dict[str, Path]) -> None:
    infra = rendered[profile] / "infra"
    skips = inline_skips(infra, terraform_files(infra, SCANNED))
    assert_skips_justified(skips, text(infra, "README.md"), MAX_SKIP_ANNOTATIONS)


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_rendering_is_byte_identical(profile: str) -> None:
    assert render_profile(profile) == render_profile(profile)


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_dockerfile_and_secrets_scanners_find_nothing(profile: str, rendered: dict[str, Path]) -> None:
    """hadolint on the image's Dockerfile; detect-secrets on the Terraform (ARNs of secrets are not secrets)."""
    assert_dockerfile_and_secrets_clean(rendered[profile])


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
    env = fake_aws_env(tf_env(), fake_aws)
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
