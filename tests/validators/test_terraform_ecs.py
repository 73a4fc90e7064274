"""Validates the ECS on Fargate Terraform with the real tools, for a matrix of answer profiles.

For every profile the repository is rendered (`render(answers, "ecs_fargate")`) into the test's own temporary
directory, then:
- `terraform fmt -check -recursive` over `infra/`;
- `terraform init -backend=false` + `terraform validate` for each root: bootstrap, environments/dev and prod;
- `terraform plan` for each root against moto (a local fake of the AWS APIs, started once per test worker):
  catches what `validate` cannot, such as an index into an empty resource list or a count that is unknown
  before apply;
- `checkov -d REPO --framework terraform` (once per repository) with zero failed checks; every skip is an
  inline `# checkov:skip=ID: reason` with a real reason, and every skipped ID is explained in infra/README.md.

Providers come from the offline mirror `/opt/tf-plugins` when it exists (CI has no ~/.terraformrc, so the
tests write their own CLI config and point TF_CLI_CONFIG_FILE at it); `init` links the provider instead of
copying it, so one init per root costs about a second. Tests share nothing mutable: each renders its own copy.
A missing tool skips the tests locally and fails them when CI=true.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.validators._support import (
    assert_checkov_clean,
    assert_fmt_clean,
    assert_skips_justified,
    checkov_argv,
    checkov_env,
    create_zones,
    fake_aws_env,
    inline_skips,
    moto_server,
    require_tool,
    run,
    terraform_init,
    terraform_plan,
    text,
    validate_problems,
    write_mirror_config,
    write_repo,
)
from tests.validators._support import tf_env as terraform_env
from wizard.core.answers import parse_answers
from wizard.core.posture import derive_posture
from wizard.core.render import render

pytestmark = pytest.mark.validators

# The brief aims at 10 skip annotations per repository; the fullest profiles need more (each listed, with its
# reason, in infra/README.md). A new skip must be a conscious change of this number.
MAX_SKIP_ANNOTATIONS = 15

# Database on/off, frontend on/off, domain on/off, every sensitivity level, PII and HIPAA, both model hostings.
PROFILES: dict[str, dict[str, Any]] = {
    # public data, no database, no frontend, no domain (certificate brought by the user), NAT egress.
    "public-minimal": {
        "project": {"name": "demo-svc", "description": 'Demo ${var.x} %{ if } "quoted" \\ end'},
        "data": {"sensitivity": "public"},
    },
    # internal data with everything: database, frontend (no WAF), Route 53 domain; longest name, a region
    # opened after 2022 (other ALB log delivery principal) and a domain whose first label is "app".
    "internal-full": {
        "project": {"name": "churn-predictor-with-a-long-name-abcdefg"},
        "workload": {"peak_rps": 300, "traffic_pattern": "spiky", "latency_p95_ms": 200},
        "data": {"sensitivity": "internal"},
        "platform": {"region": "eu-central-2"},
        "components": {"database": "postgres", "frontend": True, "domain": "app.churn.example.co.uk"},
    },
    # confidential: WAF on the load balancer and CloudFront; frontend without a domain.
    "confidential-frontend-nodomain": {
        "project": {"name": "conf-scorer"},
        "data": {"sensitivity": "confidential"},
        "components": {"frontend": True},
    },
    # personal data under GDPR with a database, no frontend, no domain.
    "confidential-pii-db": {
        "project": {"name": "credit-risk"},
        "data": {"sensitivity": "confidential", "pii": True, "compliance": ["gdpr"]},
        "platform": {"region": "eu-west-1"},
        "components": {"database": "postgres"},
    },
    # regulated PHI: VPC endpoints instead of NAT, WAF, six-year logs, everything on.
    "regulated-hipaa-full": {
        "project": {
            "name": "claims-scorer",
            "description": 'Scores claims {{ 7*7 }} ${var.x} "quoted" \\ back',
        },
        "workload": {
            "peak_rps": 120,
            "traffic_pattern": "spiky",
            "latency_p95_ms": 300,
            "model_size_mb": 900,
        },
        "data": {"sensitivity": "regulated", "pii": True, "compliance": ["hipaa"]},
        "components": {"database": "postgres", "frontend": True, "domain": "api.claims.example.com"},
        "budget": {"monthly_usd": 2500},
    },
    # regulated card data, batch traffic (no request rate), model on SageMaker, database, nothing else.
    "regulated-pci-sagemaker": {
        "project": {"name": "fraud-batch"},
        "workload": {"peak_rps": 0, "traffic_pattern": "batch"},
        "data": {"sensitivity": "regulated", "compliance": ["pci_dss"]},
        "platform": {"region": "us-west-2"},
        "components": {"database": "postgres", "model_hosting": "sagemaker"},
    },
}
ENV_ROOTS = ("environments/dev", "environments/prod")
OWN_SETS = ("aws", "ecs_fargate")


def _bootstrap_layouts() -> list[str]:
    """Return one profile per distinct bootstrap layout.

    The bootstrap root differs between profiles only in the project name, the region and comments (checkov
    skips in shared modules), so one validation per distinct normalised layout covers every profile.
    """
    representatives: dict[str, str] = {}
    for profile in sorted(PROFILES):
        answers = parse_answers(PROFILES[profile])
        try:
            files = {f.path: f.content for f in render(answers, "ecs_fargate")}
        except Exception:  # a broken template: let the tests themselves report it
            return sorted(PROFILES)
        used = {"infra/bootstrap"} | {
            "infra/modules/" + m
            for m in re.findall(
                r'source\s*=\s*"\.\./modules/([a-z_]+)"', files.get("infra/bootstrap/main.tf", "")
            )
        }
        digest = hashlib.sha256()
        for path in sorted(files):
            if path.endswith(".tf") and path.rsplit("/", 1)[0] in used:
                text = files[path]
                if path.startswith("infra/bootstrap/"):
                    text = text.replace(answers.project.name, "NAME").replace(
                        answers.platform.region, "REGION"
                    )
                code = "\n".join(line for line in text.splitlines() if not line.strip().startswith("#"))
                digest.update(f"{path}\n{code}\n".encode())
        representatives.setdefault(digest.hexdigest(), profile)
    return sorted(representatives.values())


@pytest.fixture(scope="session")
def tf_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Return the environment for terraform: non-interactive, the offline mirror's own config when present."""
    env = terraform_env()
    config = write_mirror_config(tmp_path_factory.mktemp("terraformrc"))
    if config:
        env["TF_CLI_CONFIG_FILE"] = str(config)
    return env


@pytest.fixture(scope="session")
def fake_aws() -> Iterator[str]:
    """Start moto's server on a free local port for this worker and return its URL."""
    with moto_server() as url:
        yield url


def _render_repo(profile: str, dest: Path) -> Path:
    return write_repo(render(parse_answers(PROFILES[profile]), "ecs_fargate"), dest)


def _own_outputs() -> set[str]:
    """Return the output paths the `aws` and `ecs_fargate` template sets can render (this module's subject)."""
    templates = Path(__file__).resolve().parents[2] / "templates"
    own = set()
    for set_name in OWN_SETS:
        for path in (templates / set_name).rglob("*"):
            rel = path.relative_to(templates / set_name)
            if path.is_file() and not any(part.startswith("_") for part in rel.parts):
                own.add(rel.as_posix().removesuffix(".j2"))
    return own


def _skip_annotations(repo: Path) -> list[tuple[str, str, str]]:
    """Return (file, check id, reason) for every inline checkov skip in the Terraform of the AWS sets."""
    own = _own_outputs()
    return inline_skips(
        repo, (p for p in sorted(repo.rglob("*.tf")) if p.relative_to(repo).as_posix() in own)
    )


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_terraform_fmt(profile: str, tmp_path: Path, tf_env: dict[str, str]) -> None:
    require_tool("terraform")
    assert_fmt_clean(_render_repo(profile, tmp_path) / "infra", env=tf_env)


def _validate(directory: Path, tf_env: dict[str, str]) -> None:
    terraform = require_tool("terraform")
    init = terraform_init(terraform, directory, tf_env)
    assert init.returncode == 0, f"terraform init failed in {directory}:\n{init.stdout}{init.stderr}"
    problems = validate_problems(terraform, directory, tf_env)
    assert not problems, f"terraform validate in {directory}:\n" + "\n".join(problems)


@pytest.mark.parametrize("root", ENV_ROOTS)
@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_terraform_validate_environment(
    profile: str, root: str, tmp_path: Path, tf_env: dict[str, str]
) -> None:
    _validate(_render_repo(profile, tmp_path) / "infra" / root, tf_env)


@pytest.mark.parametrize("profile", _bootstrap_layouts())
def test_terraform_validate_bootstrap(profile: str, tmp_path: Path, tf_env: dict[str, str]) -> None:
    _validate(_render_repo(profile, tmp_path) / "infra" / "bootstrap", tf_env)


# Values the environment roots need before a plan when no domain was answered (certificates the user brings).
PLACEHOLDERS = {
    "api_domain_name": '"api.example.com"',
    "api_certificate_arn": '"arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"',
    "frontend_domain_name": '"app.example.com"',
    "frontend_certificate_arn": '"arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000"',
}


def _plan(directory: Path, tf_env: dict[str, str], endpoint: str) -> None:
    """Run `terraform plan` against the fake AWS endpoint, with a local backend instead of S3."""
    terraform = require_tool("terraform")
    done = terraform_plan(terraform, directory, fake_aws_env(tf_env, endpoint), PLACEHOLDERS)
    assert done.returncode == 0, (
        f"terraform {done.args[1]} failed in {directory}:\n{done.stdout[-2000:]}{done.stderr[-4000:]}"
    )


def _create_zones(endpoint: str, repo: Path) -> None:
    """Create the Route 53 zones the environments look up (moto starts empty)."""
    create_zones(endpoint, [text(repo / "infra" / env, "terraform.tfvars") for env in ENV_ROOTS])


# A plan of a full environment costs two to three times a validate, so the plans cover every code path once
# rather than every profile: byo certificates + WAF + frontend, Route 53 + frontend without WAF + database,
# VPC endpoints + SageMaker, and the smallest stack. dev differs from prod only in literal values.
PLANS = [
    (profile, "environments/prod")
    for profile in (
        "confidential-frontend-nodomain",
        "internal-full",
        "public-minimal",
        "regulated-pci-sagemaker",
    )
]


@pytest.mark.parametrize(("profile", "root"), PLANS)
def test_terraform_plan_environment(
    profile: str, root: str, tmp_path: Path, tf_env: dict[str, str], fake_aws: str
) -> None:
    repo = _render_repo(profile, tmp_path)
    _create_zones(fake_aws, repo)
    _plan(repo / "infra" / root, tf_env, fake_aws)


@pytest.mark.parametrize("profile", _bootstrap_layouts())
def test_terraform_plan_bootstrap(
    profile: str, tmp_path: Path, tf_env: dict[str, str], fake_aws: str
) -> None:
    _plan(_render_repo(profile, tmp_path) / "infra" / "bootstrap", tf_env, fake_aws)


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_checkov_terraform(profile: str, tmp_path: Path) -> None:
    checkov = require_tool("checkov")
    repo = _render_repo(profile, tmp_path / "repo")
    assert_checkov_clean(run(checkov_argv(checkov, repo), tmp_path, checkov_env()))


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_checkov_skips_are_justified_and_documented(profile: str, tmp_path: Path) -> None:
    repo = _render_repo(profile, tmp_path)
    assert_skips_justified(_skip_annotations(repo), text(repo, "infra/README.md"), MAX_SKIP_ANNOTATIONS)


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_rendered_modules_follow_the_answers(profile: str, tmp_path: Path) -> None:
    answers = parse_answers(PROFILES[profile])
    modules = tmp_path / "infra" / "modules"
    _render_repo(profile, tmp_path)
    assert (modules / "database").is_dir() == (answers.components.database == "postgres")
    assert (modules / "frontend").is_dir() == answers.components.frontend
    assert (modules / "dns").is_dir() == (answers.components.domain != "")
    stack = (modules / "stack" / "main.tf").read_text(encoding="utf-8")
    service = (modules / "ecs_service" / "main.tf").read_text(encoding="utf-8")
    assert '"ELBSecurityPolicy-TLS13-1-2-2021-06"' in (modules / "ecs_service" / "variables.tf").read_text()
    assert "readonlyRootFilesystem = true" in service and "assign_public_ip = false" in service
    for env in ("dev", "prod"):
        root = tmp_path / "infra" / "environments" / env
        assert 'backend "s3" {}' in (root / "providers.tf").read_text(encoding="utf-8")
        assert "use_lockfile = true" in (root / "backend.hcl").read_text(encoding="utf-8")
    if answers.components.database == "postgres":
        assert "DB_SECRET_ARN" in stack and "manage_master_user_password   = true" in (
            modules / "database" / "main.tf"
        ).read_text(encoding="utf-8")
    posture = derive_posture(answers)
    assert (modules / "waf").is_dir() == posture.waf
    network_call = stack[stack.index('module "network"') :]
    assert ("interface_endpoints" in network_call.split("\n}\n")[0]) == (posture.egress == "endpoints")
    dev_main = (tmp_path / "infra" / "environments" / "dev" / "main.tf").read_text(encoding="utf-8")
    prod_main = (tmp_path / "infra" / "environments" / "prod" / "main.tf").read_text(encoding="utf-8")
    assert "deletion_protection = false" in dev_main and "deletion_protection = true" in prod_main
    for path in (tmp_path / "infra").rglob("*.tf"):
        text = path.read_text(encoding="utf-8")
        # Only hashicorp/aws and only local modules: the offline mirror holds nothing else.
        sources = re.findall(r'^\s*source\s*=\s*"([^"]+)"', text, flags=re.MULTILINE)
        assert all(src == "hashicorp/aws" or src.startswith("../") for src in sources), (path, sources)
        # User-typed text reaches Terraform only through the hcl filter (no live interpolation).
        assert "${var.x}" not in text and "{{" not in text, path
