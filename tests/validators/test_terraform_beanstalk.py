"""Validates the Elastic Beanstalk blueprint's Terraform (the `elastic_beanstalk` template set) with the real tools.

Each profile is rendered once (`render(answers, "elastic_beanstalk")`) into a temporary directory, then:
- `terraform fmt -check` over `infra/environments` and `infra/modules`;
- `terraform init -backend=false` + `terraform validate` for environments/dev and prod of every profile: roots
  that call the same module tree share one `init` (its `.terraform` folder is copied);
- `terraform plan` of a prod root against moto (a local fake of the AWS APIs, which also answers the solution
  stack lookup) for a load-balanced and a single-instance profile;
- checkov (terraform) once per profile, in the background: zero failed checks; every suppression an inline
  `# checkov:skip=ID: reason` that infra/README.md explains, at most MAX_SKIP_ANNOTATIONS of them;
- rendering twice gives byte-identical files.
Content tests check the environment's option settings (checkov sees only two of them), the roles, the
single-instance decision (wizard/core/cost.py `single_instance`), the instance type and the READMEs. The
bootstrap root and the shared modules' own plans are covered by test_terraform_ecs.py; SageMaker hosting by
test_terraform_sagemaker.py.
"""

from __future__ import annotations

import json
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
from wizard.core.cost import pick_instance, single_instance
from wizard.core.posture import derive_posture, environments
from wizard.core.render import RenderedFile, render
from wizard.core.sizing import size_workload

pytestmark = pytest.mark.validators

BLUEPRINT = "elastic_beanstalk"
TIMEOUT = 300
# The brief aims at 10 skip annotations per repository. The fullest profile (database, frontend without WAF,
# domain) has 15: twelve in the shared modules and the dev root's database settings, and three in the
# Beanstalk module: CKV_AWS_312 (checkov looks for an option Elastic Beanstalk rejects) and CKV2_AWS_5 for the
# two security groups that the environment's option settings attach. Each is listed in infra/README.md.
MAX_SKIP_ANNOTATIONS = 15
SCANNED = ("environments", "modules")
ENVS = ("dev", "prod")
# Elastic Beanstalk's accepted log retention values (aws:elasticbeanstalk:cloudwatch:logs RetentionInDays).
EB_RETENTION = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653)
SOLUTION_STACK_REGEX = '"^64bit Amazon Linux 2023 (.*) running Docker(.*)$"'

# Single instance (tiny budget) with and without database/domain/frontend; load-balanced with database on/off,
# frontend on/off, domain on/off, every sensitivity; a GPU model (custom AMI).
PROFILES: dict[str, dict[str, Any]] = {
    # tiny budget, public data: one instance, no load balancer, a frontend with the user's certificate.
    "tiny-single-frontend": answers_dict(
        project={"name": "tiny-app", "description": 'Demo ${var.x} %{ if } "quoted" \\ end'},
        data={"sensitivity": "public"},
        components={"frontend": True},
        budget={"monthly_usd": 40},
    ),
    # small budget, internal data: one instance with a database and a Route 53 name (HTTP only).
    "small-single-db-domain": answers_dict(
        project={"name": "small-shop"},
        data={"sensitivity": "internal"},
        components={"database": "postgres", "domain": "api.shop.example.com"},
        budget={"monthly_usd": 55},
    ),
    # internal data with everything, load-balanced; longest name, a region opened after 2022.
    "internal-full": answers_dict(
        project={"name": "churn-predictor-with-a-long-name-abcdefg"},
        workload={"peak_rps": 300, "traffic_pattern": "spiky", "latency_p95_ms": 200},
        platform={"region": "eu-central-2"},
        data={"sensitivity": "internal"},
        components={"database": "postgres", "frontend": True, "domain": "app.churn.example.co.uk"},
    ),
    # confidential: WAF on the environment's load balancer; no domain (the user's certificate), no frontend.
    "confidential-nodomain": answers_dict(
        project={"name": "conf-scorer"},
        data={"sensitivity": "confidential"},
    ),
    # regulated PHI: VPC endpoints instead of NAT, WAF, six-year logs (3653 days in Beanstalk), everything on.
    "regulated-hipaa-full": answers_dict(
        project={"name": "claims-scorer"},
        workload={"peak_rps": 120, "traffic_pattern": "spiky", "latency_p95_ms": 300, "model_size_mb": 900},
        data={"sensitivity": "regulated", "pii": True, "compliance": ["hipaa"]},
        components={"database": "postgres", "frontend": True, "domain": "api.claims.example.com"},
        budget={"monthly_usd": 2500},
    ),
    # a GPU model: a GPU instance type and a custom AMI.
    "public-gpu": answers_dict(
        project={"name": "gpu-scorer"},
        workload={"peak_rps": 50, "gpu": True, "model_size_mb": 4000},
        data={"sensitivity": "public"},
        budget={"monthly_usd": 3000},
    ),
}
PLANS = ("internal-full", "small-single-db-domain")


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
    "api_domain_name": '"api.example.com"',
    "api_certificate_arn": '"arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"',
    "frontend_domain_name": '"app.example.com"',
    "frontend_certificate_arn": '"arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000"',
    "ami_id": '"ami-0123456789abcdef0"',
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


# --- what the tools cannot check ----------------------------------------------------------------------


def setting(environment: str, namespace: str, name: str) -> str:
    """Return the value expression of one `setting` block of the environment."""
    pattern = (
        r'setting \{\s*namespace = "'
        + re.escape(namespace)
        + r'"\s*name\s*= "'
        + re.escape(name)
        + r'"\s*value\s*= (.+)'
    )
    match = re.search(pattern, environment)
    assert match, f"no setting {namespace} {name}"
    return match.group(1).strip()


def environment_block(root: Path) -> str:
    main = text(root / "infra" / "modules" / "beanstalk_environment", "main.tf")
    return block(main, 'resource "aws_elastic_beanstalk_environment" "this"')


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_environment_settings(profile: str, rendered: dict[str, Path]) -> None:
    answers = parse_answers(PROFILES[profile])
    posture = derive_posture(answers)
    single = single_instance(answers, posture)
    env = environment_block(rendered[profile])
    main = text(rendered[profile] / "infra" / "modules" / "beanstalk_environment", "main.tf")
    assert f"name_regex  = {SOLUTION_STACK_REGEX}" in main and "most_recent = true" in main
    assert "solution_stack_name    = data.aws_elastic_beanstalk_solution_stack.docker.name" in env
    assert "ignore_changes = [version_label, solution_stack_name]" in env
    expected = {
        ("aws:elasticbeanstalk:environment", "EnvironmentType"): '"SingleInstance"'
        if single
        else '"LoadBalanced"',
        ("aws:elasticbeanstalk:managedactions", "ManagedActionsEnabled"): "true",
        ("aws:elasticbeanstalk:managedactions:platformupdate", "UpdateLevel"): '"minor"',
        ("aws:elasticbeanstalk:healthreporting:system", "SystemType"): '"enhanced"',
        ("aws:elasticbeanstalk:cloudwatch:logs", "StreamLogs"): "true",
        ("aws:elasticbeanstalk:cloudwatch:logs", "RetentionInDays"): "var.log_retention_days",
        ("aws:elasticbeanstalk:cloudwatch:logs:health", "HealthStreamingEnabled"): "true",
        ("aws:elasticbeanstalk:command", "DeploymentPolicy"): '"Immutable"',
        ("aws:elasticbeanstalk:command", "IgnoreHealthCheck"): "false",
        ("aws:autoscaling:updatepolicy:rollingupdate", "RollingUpdateType"): '"Immutable"',
        ("aws:autoscaling:launchconfiguration", "DisableIMDSv1"): "true",
        ("aws:autoscaling:launchconfiguration", "DisableDefaultEC2SecurityGroup"): "true",
        ("aws:autoscaling:launchconfiguration", "SecurityGroups"): "aws_security_group.instance.id",
    }
    if not single:
        expected.update({
            ("aws:ec2:vpc", "AssociatePublicIpAddress"): "false",
            ("aws:ec2:vpc", "ELBScheme"): '"public"',
            ("aws:elasticbeanstalk:environment", "LoadBalancerType"): '"application"',
            ("aws:elbv2:listener:default", "ListenerEnabled"): "false",
            ("aws:elbv2:listener:443", "Protocol"): '"HTTPS"',
            ("aws:elbv2:listener:443", "SSLPolicy"): "var.ssl_policy",
            ("aws:elbv2:loadbalancer", "AccessLogsS3Enabled"): "true",
            ("aws:elasticbeanstalk:environment:process:default", "HealthCheckPath"): "var.readiness_path",
        })  # fmt: skip
    for (namespace, name), value in expected.items():
        assert setting(env, namespace, name) == value, (namespace, name)
    assert "EC2KeyName" not in env, "no SSH key pair"
    # HealthStreamingEnabled lives in cloudwatch:logs:health; Beanstalk rejects it where checkov looks for it.
    assert not re.search(
        r'namespace = "aws:elasticbeanstalk:healthreporting:system"\s*name\s*= "HealthStreamingEnabled"', env
    )
    variables = text(rendered[profile] / "infra" / "modules" / "beanstalk_environment", "variables.tf")
    if not single:
        assert '"ELBSecurityPolicy-TLS13-1-2-2021-06"' in variables
    assert ('resource "aws_wafv2_web_acl_association" "this"' in main) == (posture.waf and not single)
    stack = text(rendered[profile] / "infra" / "modules" / "stack", "main.tf")
    assert f"instance_subnet_ids = module.network.{'public' if single else 'private'}_subnet_ids" in stack


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_sizes_retention_and_network_follow_the_answers(profile: str, rendered: dict[str, Path]) -> None:
    answers = parse_answers(PROFILES[profile])
    posture = derive_posture(answers)
    size = size_workload(answers)
    envs = environments(answers, size.min_replicas, size.max_replicas, posture)
    single = single_instance(answers, posture)
    for env in ENVS:
        main = text(rendered[profile], f"infra/environments/{env}/main.tf")
        assert f'instance_type = "{pick_instance(size.vcpu, size.memory_mb, size.gpu_count > 0)}"' in main
        low = int(re.search(r"min_replicas\s*=\s*(\d+)", main).group(1))  # type: ignore[union-attr]
        high = int(re.search(r"max_replicas\s*=\s*(\d+)", main).group(1))  # type: ignore[union-attr]
        assert (low, high) == ((1, 1) if single else (envs[env].min_replicas, envs[env].max_replicas))
        days = int(re.search(r"beanstalk_log_retention_days = (\d+)", main).group(1))  # type: ignore[union-attr]
        assert days in EB_RETENTION and days >= posture.log_retention_days
        assert days == min(d for d in EB_RETENTION if d >= posture.log_retention_days)
        nat = int(re.search(r"nat_gateway_count = (\d+)", main).group(1))  # type: ignore[union-attr]
        assert nat == (0 if single else envs[env].nat_gateways)
        assert ("ami_id        = var.ami_id" in main) == (size.gpu_count > 0)
    stack = text(rendered[profile], "infra/modules/stack/main.tf")
    assert ("interface_endpoints" in stack) == (posture.egress == "endpoints")
    if posture.egress == "endpoints":
        for service in ("elasticbeanstalk", "elasticbeanstalk-health", "cloudformation", "sqs", "logs",
                        "ecr.api", "ecr.dkr"):  # fmt: skip
            assert f'"{service}"' in stack, service


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_releases_are_dockerrun_bundles_in_an_encrypted_bucket(
    profile: str, rendered: dict[str, Path]
) -> None:
    root = rendered[profile] / "infra" / "modules"
    template = text(root / "beanstalk_environment", "Dockerrun.aws.json.tftpl")
    document = json.loads(template.replace("${image}", "IMAGE").replace("${container_port}", "8080"))
    assert document == {
        "AWSEBDockerrunVersion": "1",
        "Image": {"Name": "IMAGE", "Update": "true"},
        "Ports": [{"ContainerPort": 8080}],
    }
    stack = text(root / "stack", "main.tf")
    bundles = block(stack, 'module "bundles"')
    assert 'source = "../s3_bucket"' in bundles and "kms_key_arn       = module.kms.key_arn" in bundles
    assert 'bundle_prefix      = "${var.project}/${var.environment}/"' in stack
    main = text(root / "beanstalk_environment", "main.tf")
    bootstrap = block(main, 'resource "aws_s3_object" "bootstrap"')
    assert "kms_key_id = var.kms_key_arn" in bootstrap and "ignore_changes = [key, content]" in bootstrap


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_roles_are_least_privilege(profile: str, rendered: dict[str, Path]) -> None:
    answers = parse_answers(PROFILES[profile])
    iam = text(rendered[profile] / "infra" / "modules" / "beanstalk_environment", "iam.tf")
    assert 'values   = ["elasticbeanstalk"]' in iam, "the service role trusts Beanstalk with its external ID"
    managed = re.findall(r'policy_arn = "arn:\$\{local.partition\}:iam::aws:policy/([^"]+)"', iam)
    assert sorted(managed) == ["AWSElasticBeanstalkWebTier", "service-role/AWSElasticBeanstalkEnhancedHealth"]
    instance = block(iam, 'data "aws_iam_policy_document" "instance"')
    wildcard_statements = re.findall(r'sid\s*=\s*"(\w+)"[^}]*?resources = \["\*"\]', instance, re.S)
    assert wildcard_statements == ["RegistryLogin"], wildcard_statements
    assert "resources = [var.ecr_repository_arn]" in instance
    sagemaker = answers.components.model_hosting == "sagemaker"
    stack = text(rendered[profile] / "infra" / "modules" / "stack", "main.tf")
    assert ("sagemaker_endpoint_arns = [local.sagemaker_endpoint_arn]" in stack) == sagemaker
    assert f"grant_model_read = {'false' if sagemaker else 'true'}" in stack


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_readmes_explain_the_platform_mode_and_deployment(profile: str, rendered: dict[str, Path]) -> None:
    answers = parse_answers(PROFILES[profile])
    single = single_instance(answers, derive_posture(answers))
    root = rendered[profile]
    infra_readme = text(root, "infra/README.md")
    top = text(root, "README.md")
    assert "^64bit Amazon Linux 2023 (.*) running Docker(.*)$" in infra_readme
    assert ("Single-instance mode" in infra_readme) == single
    assert ("Single-instance mode" in top) == single
    deploy = top[top.index("## Deploy") : top.index("## Security")]
    for step in ("Bootstrap the state bucket", "Create the registry first", "Build and push the image",
                 "Apply the infrastructure", "Deploy later releases", "Verify", "Tear down"):  # fmt: skip
        assert step in deploy, step


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_outputs_ci_needs_and_no_template_leftovers(profile: str, rendered: dict[str, Path]) -> None:
    infra = rendered[profile] / "infra"
    for env in ENVS:
        outputs = text(infra, f"environments/{env}/outputs.tf")
        # templates/ci/_deploy/elastic_beanstalk.sh.j2 reads these.
        for name in (
            "application_name",
            "environment_name",
            "app_versions_bucket",
            "ecr_repository_url",
            "api_url",
        ):
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
