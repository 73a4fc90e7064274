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
MIN_REASON_CHARS = 40
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


# --- terraform plan against moto ----------------------------------------------------------------------


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


# Values the roots need before a plan when the answers left them to the user.
PLACEHOLDERS = {
    "frontend_domain_name": '"app.example.com"',
    "frontend_certificate_arn": '"arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"',
}


def plan(directory: Path, endpoint: str) -> subprocess.CompletedProcess[str]:
    """`terraform plan` of one root against the fake AWS endpoint, with a local backend instead of S3."""
    import boto3

    terraform = require_tool("terraform")
    env = {
        **tf_env(),
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE"):
        env.pop(name, None)
    tfvars = text(directory, "terraform.tfvars")
    route53 = boto3.client(
        "route53", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )  # fmt: skip
    existing = {z["Name"].rstrip(".") for z in route53.list_hosted_zones()["HostedZones"]}
    for zone in re.findall(r'^zone_name\s*=\s*"([^"]+)"', tfvars, flags=re.M):
        if zone not in existing:
            route53.create_hosted_zone(Name=zone, CallerReference=zone)
    (directory / "local_backend_override.tf").write_text('terraform {\n  backend "local" {}\n}\n')
    filled = [
        f"{name} = {value}\n"
        for name, value in PLACEHOLDERS.items()
        if re.search(rf'^{name}\s*=\s*""', tfvars, flags=re.M)
    ]
    (directory / "placeholders.auto.tfvars").write_text("".join(filled))
    init = run([terraform, "init", "-input=false", "-no-color"], directory, env)
    if init.returncode != 0:
        return init
    return run(
        [terraform, "plan", "-input=false", "-no-color", "-refresh=false", "-lock=false"], directory, env
    )


@pytest.mark.parametrize("profile", PLANS)
def test_terraform_plan_prod(profile: str, rendered: dict[str, Path], fake_aws: str, tmp_path: Path) -> None:
    directory = tmp_path / "repo"
    shutil.copytree(
        rendered[profile] / "infra", directory / "infra", ignore=shutil.ignore_patterns(".terraform*")
    )
    done = plan(directory / "infra" / "environments" / "prod", fake_aws)
    assert done.returncode == 0, f"terraform plan failed for {profile}:\n{done.stderr[-4000:]}"


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
