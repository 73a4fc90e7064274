"""Validates the App Runner blueprint's Terraform (the `app_runner` template set) with the real tools.

App Runner is only rendered for accounts that already use it (`platform.existing_app_runner: true`), so every
profile answers that. Each profile is rendered once (`render(answers, "app_runner")`) into a temporary
directory, then:
- `terraform fmt -check` over `infra/environments` and `infra/modules`;
- `terraform init -backend=false` + `terraform validate` for environments/dev and prod of every profile: roots
  that call the same module tree share one `init` (its `.terraform` folder is copied);
- `terraform plan` of a prod root against moto (a local fake of the AWS APIs) for the two profiles whose code
  paths `validate` cannot evaluate (custom domain records and the VPC connector; private ingress);
- checkov (terraform) once per profile, in the background: zero failed checks; every suppression an inline
  `# checkov:skip=ID: reason` that infra/README.md explains, at most MAX_SKIP_ANNOTATIONS of them;
- rendering twice gives byte-identical files.
Checkov has no App Runner checks at all, so the content tests below check the service's security settings
themselves (the controls infra/README.md lists as checked by hand). The bootstrap root and the shared modules'
own plans are covered by tests/validators/test_terraform_ecs.py; SageMaker hosting by test_terraform_sagemaker.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
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
    create_zones,
    environment_roots,
    fake_aws_env,
    inline_skips,
    moto_server,
    require_tool,
    terraform_files,
    terraform_plan,
    text,
    tf_env,
    validate_roots,
    write_repo,
)
from wizard.core.answers import parse_answers
from wizard.core.posture import derive_posture, environments
from wizard.core.render import RenderedFile, render
from wizard.core.sizing import size_workload

pytestmark = pytest.mark.validators

BLUEPRINT = "app_runner"
TIMEOUT = 300
# The brief aims at 10 skip annotations per repository; the fullest profile (database, frontend without WAF,
# domain) has 12, all in the shared modules (s3_bucket, log_bucket, log_group, frontend) and the dev root's
# database settings, none in the App Runner code; each is listed in infra/README.md.
MAX_SKIP_ANNOTATIONS = 12
SCANNED = ("environments", "modules")
ENVS = ("dev", "prod")
EXISTING = {"existing_app_runner": True}

# Database on/off, frontend on/off, domain on/off, every sensitivity, private ingress (no online traffic).
PROFILES: dict[str, dict[str, Any]] = {
    # public data, nothing else: no VPC at all.
    "public-minimal": answers_dict(
        project={"name": "ar-demo", "description": 'Demo ${var.x} %{ if } "quoted" \\ end'},
        platform=EXISTING,
        data={"sensitivity": "public"},
    ),
    # internal data with everything: VPC connector to the database, frontend, custom domain; longest name.
    "internal-full": answers_dict(
        project={"name": "churn-predictor-with-a-long-name-abcdefg"},
        workload={"peak_rps": 300, "traffic_pattern": "spiky", "latency_p95_ms": 200},
        platform={**EXISTING, "region": "eu-west-1"},
        data={"sensitivity": "internal"},
        components={"database": "postgres", "frontend": True, "domain": "app.churn.example.co.uk"},
    ),
    # confidential: WAF on the service and CloudFront; frontend without a domain.
    "confidential-frontend-nodomain": answers_dict(
        project={"name": "conf-scorer"},
        platform=EXISTING,
        data={"sensitivity": "confidential"},
        components={"frontend": True},
    ),
    # personal data, no online traffic: private ingress through an interface endpoint, database, a domain
    # (which a private service does not use).
    "confidential-pii-batch-private": answers_dict(
        project={"name": "credit-batch"},
        workload={"peak_rps": 0, "traffic_pattern": "batch"},
        platform={**EXISTING, "region": "eu-central-1"},
        data={"sensitivity": "confidential", "pii": True, "compliance": ["gdpr"]},
        components={"database": "postgres", "domain": "api.credit.example.com"},
    ),
    # regulated card data: VPC endpoints instead of NAT behind the connector, WAF, a domain, a bigger model.
    "regulated-pci-db": answers_dict(
        project={"name": "fraud-scorer"},
        workload={"peak_rps": 80, "model_size_mb": 1500, "latency_p95_ms": 800},
        platform={**EXISTING, "region": "us-east-1"},
        data={"sensitivity": "regulated", "compliance": ["pci_dss"]},
        components={"database": "postgres", "domain": "api.fraud.example.com"},
        budget={"monthly_usd": 2000},
    ),
}
# prod differs from dev only in literal values: one plan per profile with its own code paths.
PLANS = ("internal-full", "confidential-pii-batch-private")

# App Runner's valid CPU/memory pairs (vCPU, MiB), aws-facts F17.
VALID_SIZES = {
    "0.25 vCPU": {"0.5 GB", "1 GB"},
    "0.5 vCPU": {"1 GB"},
    "1 vCPU": {"2 GB", "3 GB", "4 GB"},
    "2 vCPU": {"4 GB", "6 GB"},
    "4 vCPU": {"8 GB", "10 GB", "12 GB"},
}


# --- rendering -------------------------------------------------------------------------------------------


def render_profile(profile: str) -> list[RenderedFile]:
    return render(parse_answers(PROFILES[profile]), BLUEPRINT)


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


# --- terraform plan against moto ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def fake_aws() -> Iterator[str]:
    """Start moto's server on a free local port and return its URL."""
    with moto_server() as url:
        yield url


# Values the roots need before a plan when the answers left them to the user.
PLACEHOLDERS = {
    "frontend_domain_name": '"app.example.com"',
    "frontend_certificate_arn": '"arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"',
}


def plan(directory: Path, endpoint: str) -> subprocess.CompletedProcess[str]:
    """`terraform plan` of one root against the fake AWS endpoint, with a local backend instead of S3."""
    terraform = require_tool("terraform")
    create_zones(endpoint, [text(directory, "terraform.tfvars")])
    return terraform_plan(terraform, directory, fake_aws_env(tf_env(), endpoint), PLACEHOLDERS)


@pytest.mark.parametrize("profile", PLANS)
def test_terraform_plan_prod(profile: str, rendered: dict[str, Path], fake_aws: str, tmp_path: Path) -> None:
    directory = tmp_path / "repo"
    shutil.copytree(
        rendered[profile] / "infra", directory / "infra", ignore=shutil.ignore_patterns(".terraform*")
    )
    done = plan(directory / "infra" / "environments" / "prod", fake_aws)
    assert done.returncode == 0, f"terraform plan failed for {profile}:\n{done.stderr[-4000:]}"


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


# --- what the tools cannot check (checkov has no App Runner checks) ----------------------------------------


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_the_service_is_hardened(profile: str, rendered: dict[str, Path]) -> None:
    answers = parse_answers(PROFILES[profile])
    posture = derive_posture(answers)
    module = rendered[profile] / "infra" / "modules" / "app_runner_service"
    main = text(module, "main.tf")
    service = block(main, 'resource "aws_apprunner_service" "this"')
    assert "kms_key = var.kms_key_arn" in block(service, "encryption_configuration")
    assert "auto_deployments_enabled = false" in service
    assert (
        'image_repository_type = "ECR"' in service and "access_role_arn = aws_iam_role.access.arn" in service
    )
    check = block(service, "health_check_configuration")
    assert 'protocol            = "HTTP"' in check and "path                = var.health_check_path" in check
    assert 'health_check_path  = "/health"' in text(module.parent, "stack/main.tf")
    assert "observability_enabled           = true" in service
    assert 'vendor = "AWSXRAY"' in main
    ingress = block(service, "ingress_configuration")
    assert f"is_publicly_accessible = {'true' if posture.public_api else 'false'}" in ingress
    connector = answers.components.database == "postgres"
    assert ('egress_type       = "VPC"' in service) == connector
    assert ('resource "aws_apprunner_vpc_connector" "this"' in main) == connector
    assert ('resource "aws_apprunner_vpc_ingress_connection" "this"' in main) == (not posture.public_api)
    assert ('resource "aws_wafv2_web_acl_association" "this"' in main) == posture.waf
    if posture.waf:
        association = block(main, 'resource "aws_wafv2_web_acl_association" "this"')
        assert "resource_arn = aws_apprunner_service.this.arn" in association
        assert 'scope                = "REGIONAL"' in block(main, 'module "waf"')
    domain = bool(answers.components.domain) and posture.public_api
    assert ('resource "aws_apprunner_custom_domain_association" "this"' in main) == domain
    # Secrets travel as references; PORT is reserved by App Runner and set from the image configuration.
    stack = text(module.parent, "stack/main.tf")
    env_vars = block(stack, "environment_variables = merge(")
    assert "PORT" not in env_vars.replace("DB_PORT", "")
    assert "runtime_environment_secrets   = var.secrets" in service


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_roles_are_separate_and_least_privilege(profile: str, rendered: dict[str, Path]) -> None:
    answers = parse_answers(PROFILES[profile])
    iam = text(rendered[profile] / "infra" / "modules" / "app_runner_service", "iam.tf")
    assert 'Principal = { Service = "build.apprunner.amazonaws.com" }' in iam
    assert 'identifiers = ["tasks.apprunner.amazonaws.com"]' in iam
    access = block(iam, 'data "aws_iam_policy_document" "access"')
    assert "resources = [var.ecr_repository_arn]" in access
    instance = block(iam, 'data "aws_iam_policy_document" "instance"')
    wildcard_statements = re.findall(r'sid\s*=\s*"(\w+)"[^}]*?resources = \["\*"\]', instance, re.S)
    assert wildcard_statements == ["WriteTraces"], wildcard_statements
    stack = text(rendered[profile] / "infra" / "modules" / "stack", "main.tf")
    sagemaker = answers.components.model_hosting == "sagemaker"
    assert ("sagemaker_endpoint_arns = [local.sagemaker_endpoint_arn]" in stack) == sagemaker
    assert f"grant_model_read = {'false' if sagemaker else 'true'}" in stack
    db = answers.components.database == "postgres"
    assert ("readable_secret_arns        = [module.database.master_user_secret_arn]" in stack) == db


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_size_and_scaling_follow_the_sizing(profile: str, rendered: dict[str, Path]) -> None:
    answers = parse_answers(PROFILES[profile])
    size = size_workload(answers)
    envs = environments(answers, size.min_replicas, size.max_replicas, derive_posture(answers))
    to_mib = {"0.5 GB": 512, "1 GB": 1024, "2 GB": 2048, "3 GB": 3072, "4 GB": 4096, "6 GB": 6144,
              "8 GB": 8192, "10 GB": 10240, "12 GB": 12288}  # fmt: skip
    for env in ENVS:
        main = text(rendered[profile], f"infra/environments/{env}/main.tf")
        cpu = re.search(r'^\s*cpu\s*=\s*"([^"]+)"', main, re.M).group(1)  # type: ignore[union-attr]
        memory = re.search(r'^\s*memory\s*=\s*"([^"]+)"', main, re.M).group(1)  # type: ignore[union-attr]
        assert memory in VALID_SIZES[cpu], (cpu, memory)
        assert float(cpu.split()[0]) >= size.vcpu and to_mib[memory] >= size.memory_mb
        concurrency = int(re.search(r"max_concurrency\s*=\s*(\d+)", main).group(1))  # type: ignore[union-attr]
        assert 1 <= concurrency <= 200
        low = int(re.search(r"min_replicas\s*=\s*(\d+)", main).group(1))  # type: ignore[union-attr]
        high = int(re.search(r"max_replicas\s*=\s*(\d+)", main).group(1))  # type: ignore[union-attr]
        assert low == envs[env].min_replicas and low <= high <= 25


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_readmes_state_the_availability_change_and_the_hand_checked_controls(
    profile: str, rendered: dict[str, Path]
) -> None:
    root = rendered[profile]
    infra_readme = text(root, "infra/README.md")
    top = text(root, "README.md")
    for readme in (infra_readme, top):
        assert "2026-04-30" in readme and "ECS Express Mode" in readme
        assert "--blueprint ecs_fargate" in readme
    assert "## Controls checked by hand (checkov has no App Runner checks)" in infra_readme
    for item in ("APR-01", "APR-02", "APR-03", "APR-04", "APR-05", "APR-06", "APR-07", "APR-09", "APR-10"):
        assert item in infra_readme, item
    deploy = top[top.index("## Deploy") : top.index("## Security")]
    for step in ("Bootstrap the state bucket", "Create the registry first", "Build and push the image",
                 "Apply the infrastructure and deploy", "Verify", "Tear down"):  # fmt: skip
        assert step in deploy, step
    assert "put-retention-policy" in deploy and "associate-kms-key" in deploy


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_outputs_ci_needs_and_no_template_leftovers(profile: str, rendered: dict[str, Path]) -> None:
    infra = rendered[profile] / "infra"
    for env in ENVS:
        outputs = text(infra, f"environments/{env}/outputs.tf")
        for name in ("service_arn", "ecr_repository_url", "api_url"):  # templates/ci/_deploy/app_runner.sh.j2
            assert f'output "{name}"' in outputs, name
        assert 'backend "s3" {}' in text(infra, f"environments/{env}/providers.tf")
        assert "use_lockfile = true" in text(infra, f"environments/{env}/backend.hcl")
    for sub in SCANNED:
        for path in (infra / sub).rglob("*.tf"):
            if ".terraform" in path.parts:
                continue
            content = path.read_text(encoding="utf-8")
            sources = re.findall(r'^\s*source\s*=\s*"([^"]+)"', content, flags=re.M)
            assert all(s == "hashicorp/aws" or s.startswith("../") for s in sources), (path, sources)
            assert "${var.x}" not in content and "{{" not in content and "{%" not in content, path
