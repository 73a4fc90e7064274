"""Validates the Kubernetes blueprint's EKS Terraform (the `eks` template set) with the real tools.

Every profile is rendered once (`render(answers, "kubernetes")`) into a temporary directory. Then:
- `terraform fmt -check` over `infra/environments` and `infra/modules`;
- `terraform init -backend=false` + `terraform validate` for every root (environments/dev and prod of every
  profile, the bootstrap root once): roots that call the same module tree share one `init` (its `.terraform`
  folder is copied), because init and validate dominate the run time;
- checkov (terraform) once per profile over `infra/{bootstrap,environments,modules}`: zero failed checks, every
  suppression an inline `# checkov:skip=ID: reason` with a real reason that `infra/README.md` lists, at most
  MAX_SKIP_ANNOTATIONS of them;
- rendering twice gives byte-identical files.
Content tests check what the tools cannot: the cluster's security settings, the GPU node group, Pod Identity,
the add-ons, that `k8s_cluster_values` writes exactly the keys the overlays' cluster-values.yaml holds, and that
the chosen node types fit a replica. checkov runs in the background while terraform validates.

The GKE and AKS Terraform of the multi-cloud profile and the manifests are tested in tests/k8s; the CI
Terraform (`infra/ci`) by the CI tests.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import answers_dict, require_tool, tool_path
from wizard.core.answers import parse_answers
from wizard.core.posture import derive_posture, environments
from wizard.core.render import RenderedFile, render
from wizard.core.sizing import size_workload

pytestmark = pytest.mark.validators

BLUEPRINT = "kubernetes"
TIMEOUT = 300
# The brief aims at 10 skip annotations per repository. The EKS code (environment roots, modules/stack and
# modules/eks_cluster) has at most three: the dev database's two and, with SageMaker in the VPC, the model
# endpoint's security group. The shared modules add up to nine (frontend without WAF, log buckets, retention).
MAX_SKIP_ANNOTATIONS = 12
MAX_EKS_SKIPS = 3
EKS_FILES = ("environments/", "modules/stack/", "modules/eks_cluster/")
MIN_REASON_CHARS = 40
CANARY = 'Scores {{ 7*7 }} ${var.x} "quoted" \\ it\'s'
SCANNED = ("bootstrap", "environments", "modules")
ENVS = ("dev", "prod")

# EKS with and without GPU, regulated and not; the EKS part of multi-cloud; cloud "any" with everything else
# (SageMaker hosting, frontend without a domain, confidential data: WAF, model endpoint in the VPC).
PROFILES: dict[str, dict[str, Any]] = {
    "aws-default": answers_dict(project={"name": "demo-eks"}),
    "aws-gpu": answers_dict(
        project={"name": "gpu-scorer"}, workload={"gpu": True, "peak_rps": 50, "model_size_mb": 4000}
    ),
    "aws-regulated": answers_dict(
        project={"name": "claims-eks", "description": CANARY},
        data={"sensitivity": "regulated", "pii": True, "compliance": ["hipaa"]},
        components={"database": "postgres", "domain": "api.claims.example.com"},
    ),
    "multi": answers_dict(
        project={"name": "multi-svc"},
        platform={"cloud": "multi", "region": "eu-west-1"},
        workload={"peak_rps": 0, "traffic_pattern": "batch"},
        components={"database": "postgres", "frontend": True, "domain": "app.multi.example.com"},
    ),
    "any-sagemaker": answers_dict(
        project={"name": "any-cloud-scorer-with-a-long-name-abcdef"},
        platform={"cloud": "any", "region": "eu-central-2"},
        workload={"peak_rps": 300, "traffic_pattern": "spiky"},
        data={"sensitivity": "confidential"},
        components={"model_hosting": "sagemaker", "frontend": True, "database": "postgres"},
    ),
}

# vCPU and MiB of the node types the environments may choose (from templates/eks/_env/main.tf.j2).
NODE_TYPES = {
    "t3.large": (2, 8192), "t3.xlarge": (4, 16384), "t3.2xlarge": (8, 32768),
    "m6i.large": (2, 8192), "m6i.xlarge": (4, 16384), "m6i.2xlarge": (8, 32768), "m6i.4xlarge": (16, 65536),
    "m6i.8xlarge": (32, 131072), "r6i.8xlarge": (32, 262144),
    "g5.xlarge": (4, 16384), "g5.2xlarge": (8, 32768), "g5.4xlarge": (16, 65536), "g5.8xlarge": (32, 131072),
    "g5.16xlarge": (64, 262144),
}  # fmt: skip


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
    """Render every profile once; returns profile -> repository root. A copy of the AWS Terraform sits next to
    each root (`<root>-checkov`) for checkov, made before any `terraform init` adds `.terraform` folders."""
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


# --- checkov, in the background from the first test on ------------------------------------------------


class Scans:
    """checkov over every profile's copy, at most two at a time, started in the background (so it runs while
    terraform validates); `stop()` ends what nobody asked for. Reports go to files, never to a full pipe."""

    def __init__(self, checkov: str, targets: dict[str, Path]) -> None:
        self.checkov, self.targets = checkov, targets
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._start_all, daemon=True)
        self.thread.start()

    def _report(self, profile: str, stream: str) -> Path:
        return self.targets[profile].parent / f"{self.targets[profile].name}.{stream}"

    def _start_all(self) -> None:
        for profile, target in self.targets.items():
            while sum(p.poll() is None for p in self.processes.values()) >= 2 and not self.stopping.is_set():
                time.sleep(0.2)
            if self.stopping.is_set():
                return
            argv = [self.checkov, "-d", str(target), "--quiet", "--compact", "--skip-download", "--framework",
                    "terraform", "-o", "json"]  # fmt: skip
            with (
                self._report(profile, "out").open("wb") as out,
                self._report(profile, "err").open("wb") as err,
            ):
                self.processes[profile] = subprocess.Popen(
                    argv, cwd=target, env={**os.environ, "BC_SKIP_MAPPING": "TRUE"}, stdout=out, stderr=err,
                    stdin=subprocess.DEVNULL,
                )  # fmt: skip

    def result(self, profile: str) -> subprocess.CompletedProcess[str]:
        while profile not in self.processes and self.thread.is_alive():
            self.thread.join(timeout=0.2)
        process = self.processes[profile]
        process.wait(timeout=TIMEOUT)
        return subprocess.CompletedProcess(
            process.args,
            process.returncode,
            self._report(profile, "out").read_text(encoding="utf-8"),
            self._report(profile, "err").read_text(encoding="utf-8"),
        )

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join()
        for process in self.processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def checkov_runs(rendered: dict[str, Path]) -> Iterator[Scans | None]:
    """Start checkov for every profile in the background; stopped when the module's tests are done."""
    checkov = tool_path("checkov")
    if not checkov:
        yield None
        return
    scans = Scans(checkov, {p: root.parent / f"{root.name}-checkov" for p, root in rendered.items()})
    yield scans
    scans.stop()


# --- terraform ------------------------------------------------------------------------------------------


def roots_to_validate(rendered: dict[str, Path]) -> list[tuple[str, str]]:
    first = next(iter(rendered))
    return [(first, "bootstrap")] + [(p, f"environments/{env}") for p in rendered for env in ENVS]


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
                target = (directory / source).resolve()
                digest.update(f"{directory.name}:{name}:{source}\n".encode())
                pending.append(target)
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
def validations(rendered: dict[str, Path], checkov_runs: Scans | None) -> dict[tuple[str, str], list[str]]:
    """`terraform init` once per distinct layout, then `validate` every root; returns (profile, root) -> problems.
    Depends on `checkov_runs` only to start checkov first, so both tools run at the same time."""
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
    infra = rendered[profile] / "infra"
    done = run(
        [terraform, "fmt", "-check", "-recursive", "-diff", "-no-color", "environments", "modules"], infra
    )
    assert done.returncode == 0, f"terraform fmt would change files:\n{done.stdout}{done.stderr}"


@pytest.mark.parametrize(("profile", "root"), roots_to_validate({p: Path() for p in PROFILES}))
def test_terraform_validate(profile: str, root: str, validations: dict[tuple[str, str], list[str]]) -> None:
    problems = validations[(profile, root)]
    assert not problems, f"terraform validate {profile} {root}:\n" + "\n".join(problems)


# --- checkov -----------------------------------------------------------------------------------------------


SKIP_COMMENT = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)\s*(?::\s*(.*))?$", re.M)


def inline_skips(infra: Path) -> list[tuple[str, str, str]]:
    """Return (file, check id, reason) for every `# checkov:skip=` comment in the scanned Terraform."""
    found = []
    for sub in SCANNED:
        for path in sorted((infra / sub).rglob("*.tf")):
            for check, reason in SKIP_COMMENT.findall(path.read_text(encoding="utf-8")):
                found.append((str(path.relative_to(infra)), check, (reason or "").strip()))
    return found


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_checkov_finds_nothing(
    profile: str,
    rendered: dict[str, Path],
    checkov_runs: Scans | None,
) -> None:
    require_tool("checkov")
    assert checkov_runs is not None
    done = checkov_runs.result(profile)
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
    own = [skip for skip in skips if skip[0].startswith(EKS_FILES)]
    assert len(own) <= MAX_EKS_SKIPS, f"{len(own)} skips in the EKS code: {own}"
    readme = (infra / "README.md").read_text(encoding="utf-8")
    for file, check, reason in skips:
        assert len(reason) >= MIN_REASON_CHARS, f"{file}: the reason for skipping {check} is too short"
        assert check in readme, f"{file}: {check} is skipped but not explained in infra/README.md"


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_rendering_is_byte_identical(profile: str) -> None:
    assert render_profile(profile) == render_profile(profile)


# --- what the tools cannot check -------------------------------------------------------------------------


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


def test_the_cluster_is_private_encrypted_logged_and_uses_access_entries(rendered: dict[str, Path]) -> None:
    module = rendered["aws-default"] / "infra" / "modules" / "eks_cluster"
    cluster = block(text(module, "main.tf"), 'resource "aws_eks_cluster" "this"')
    assert "endpoint_private_access = true" in cluster
    assert "endpoint_public_access  = local.public_endpoint" in cluster
    assert "public_endpoint = length(var.public_access_cidrs) > 0" in text(module, "main.tf")
    assert '!endswith(cidr, "/0")' in text(module, "variables.tf"), "0.0.0.0/0 must be rejected"
    assert 'resources = ["secrets"]' in cluster and "key_arn = var.kms_key_arn" in cluster
    for log_type in ("api", "audit", "authenticator", "controllerManager", "scheduler"):
        assert f'"{log_type}"' in cluster
    assert 'authentication_mode = "API"' in cluster, "EKS access entries, not the aws-auth ConfigMap"
    assert "bootstrap_self_managed_addons = false" in cluster
    assert 'resource "aws_eks_access_entry" "admin"' in text(module, "main.tf")
    template = block(text(module, "nodes.tf"), 'resource "aws_launch_template" "node"')
    assert 'http_tokens                 = "required"' in template
    assert "http_put_response_hop_limit = 1" in template and "encrypted             = true" in template


def test_add_ons_enforce_network_policies_and_serve_pod_identity(rendered: dict[str, Path]) -> None:
    addons = text(rendered["aws-default"] / "infra" / "modules" / "eks_cluster", "addons.tf")
    assert '"vpc-cni"                = jsonencode({ enableNetworkPolicy = "true" })' in addons
    for name in (
        "kube-proxy",
        "eks-pod-identity-agent",
        "coredns",
        "metrics-server",
        "amazon-cloudwatch-observability",
    ):
        assert f'"{name}"' in addons, name


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_pod_identity_roles_for_the_app_and_the_load_balancer_controller(
    profile: str, rendered: dict[str, Path]
) -> None:
    root = rendered[profile]
    identity = text(root / "infra" / "modules" / "eks_cluster", "identity.tf")
    assert 'identifiers = ["pods.eks.amazonaws.com"]' in identity
    assert 'service_account = "aws-load-balancer-controller"' in identity
    assert 'resource "aws_eks_pod_identity_association" "this"' in identity
    stack = text(root / "infra" / "modules" / "stack", "main.tf")
    assert "app_namespace       = var.project" in stack and "app_service_account = var.project" in stack
    # The manifests' service account is named after the project, in the project's namespace.
    account = yaml.safe_load(text(root, "k8s/base/serviceaccount.yaml"))["metadata"]
    assert account["name"] == account["namespace"] == parse_answers(PROFILES[profile]).project.name
    policy = json.loads(
        text(root / "infra" / "modules" / "eks_cluster", "aws_load_balancer_controller_policy.json")
    )
    actions = {
        a
        for s in policy["Statement"]
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert {
        "elasticloadbalancing:CreateLoadBalancer",
        "wafv2:AssociateWebACL",
        "acm:ListCertificates",
    } <= actions
    answers = parse_answers(PROFILES[profile])
    app = block(stack, 'data "aws_iam_policy_document" "app"')
    assert ("sagemaker:InvokeEndpoint" in app) == (answers.components.model_hosting == "sagemaker")
    assert ('"s3:GetObject"' in app) == (answers.components.model_hosting == "container")
    assert ("secretsmanager:GetSecretValue" in app) == (answers.components.database == "postgres")


def field(body: str, pattern: str) -> str:
    match = re.search(pattern, body)
    assert match, f"{pattern} not found in {body}"
    return match.group(1)


def node_groups(main_tf: str) -> dict[str, dict[str, Any]]:
    """Return the node groups an environment root passes to the stack: name -> type, sizes, gpu."""
    groups = {}
    for name in ("general", "gpu"):
        match = re.search(rf"^    {name} = \{{(.*?)^    \}}", main_tf, re.M | re.S)
        if match:
            body = match.group(1)
            groups[name] = {
                "type": field(body, r'instance_types = \["([^"]+)"\]'),
                **{k: int(field(body, rf"{k}\s*= (\d+)")) for k in ("min_size", "max_size", "desired_size")},
                "gpu": "gpu            = true" in body,
            }
    return groups


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_node_groups_fit_the_replicas(profile: str, rendered: dict[str, Path]) -> None:
    answers = parse_answers(PROFILES[profile])
    size = size_workload(answers)
    envs = environments(answers, size.min_replicas, size.max_replicas, derive_posture(answers))
    for env in ENVS:
        groups = node_groups(text(rendered[profile], f"infra/environments/{env}/main.tf"))
        assert set(groups) == ({"general", "gpu"} if size.gpu_count else {"general"})
        app = groups["gpu" if size.gpu_count else "general"]
        assert app["gpu"] == bool(size.gpu_count)
        vcpu, memory = NODE_TYPES[app["type"]]
        request = size.vcpu if env == "prod" else max(0.25, size.vcpu / 2)
        per_node = min(int((vcpu - 1) // request), (memory - 3072) // size.memory_mb)
        assert per_node >= 1, (
            f"{env}: a replica ({request} vCPU, {size.memory_mb} MiB) does not fit {app['type']}"
        )
        per_node = 1 if size.gpu_count else per_node
        assert app["max_size"] * per_node >= envs[env].max_replicas, f"{env}: the peak does not fit"
        for group in groups.values():
            assert group["min_size"] <= group["desired_size"] <= group["max_size"]
            assert group["min_size"] >= (2 if env == "prod" else 1) or group["gpu"]


def test_the_gpu_node_group_uses_the_nvidia_ami_label_and_taint(rendered: dict[str, Path]) -> None:
    nodes = text(rendered["aws-gpu"] / "infra" / "modules" / "eks_cluster", "nodes.tf")
    assert 'ami_type       = each.value.gpu ? "AL2023_x86_64_NVIDIA" : "AL2023_x86_64_STANDARD"' in nodes
    assert 'gpu_labels = { "k8s.amazonaws.com/accelerator" = "nvidia" }' in nodes
    assert 'key    = "nvidia.com/gpu"' in nodes and 'effect = "NO_SCHEDULE"' in nodes
    readme = text(rendered["aws-gpu"], "infra/README.md")
    assert "nvdp/nvidia-device-plugin" in readme, "the AL2023 NVIDIA AMI needs the device plugin installed"


def test_gpu_nodes_carry_the_label_the_manifests_select(rendered: dict[str, Path]) -> None:
    patch = yaml.safe_load(text(rendered["aws-gpu"], "k8s/components/eks/gpu-patch.yaml"))
    selector = next(op["value"] for op in patch if op["path"].endswith("/nodeSelector"))
    assert selector == {"k8s.amazonaws.com/accelerator": "nvidia"}


def cluster_values_keys(path: Path) -> set[str]:
    return set(yaml.safe_load(path.read_text(encoding="utf-8"))["data"])


def output_keys(outputs_tf: str) -> set[str]:
    return set(
        re.findall(r'^\s*"?([A-Z][A-Z0-9_]*)"?\s*=', block(outputs_tf, 'output "k8s_cluster_values"'), re.M)
    )


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_k8s_cluster_values_match_the_overlays(profile: str, rendered: dict[str, Path]) -> None:
    root = rendered[profile]
    multi = parse_answers(PROFILES[profile]).platform.cloud == "multi"
    for env in ENVS:
        outputs = text(root, f"infra/environments/{env}/outputs.tf")
        for name in ("cluster_name", "vpc_id", "ecr_repository_url", "k8s_cluster_values"):
            assert f'output "{name}"' in outputs, name
        overlay = root / "k8s" / "overlays" / (f"{env}-eks" if multi else env)
        assert output_keys(outputs) == cluster_values_keys(overlay / "cluster-values.yaml"), overlay.name
        values = block(outputs, 'output "k8s_cluster_values"')
        assert 'name        = "cluster-values"' in values and "namespace   = local.project" in values
        assert '"config.kubernetes.io/local-config" = "true"' in values
        assert f"../../../{overlay.relative_to(root)}/cluster-values.yaml" in outputs


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_posture_reaches_the_terraform(profile: str, rendered: dict[str, Path]) -> None:
    answers = parse_answers(PROFILES[profile])
    posture = derive_posture(answers)
    infra = rendered[profile] / "infra"
    stack = text(infra, "modules/stack/main.tf")
    modules = {p.name for p in (infra / "modules").iterdir()}
    assert ("interface_endpoints" in stack) == (posture.egress == "endpoints")
    if posture.egress == "endpoints":
        assert '"eks-auth"' in stack and '"elasticloadbalancing"' in stack
        for env in ENVS:
            assert "nat_gateway_count = 0" in text(infra, f"environments/{env}/main.tf")
    assert ('module "waf"' in stack) == (posture.waf and posture.public_api)
    assert ('module "api_dns"' in stack) == bool(answers.components.domain)
    if answers.components.domain:
        assert "alias_record_types = []" in block(stack, 'module "api_dns"')
    assert ('module "database"' in stack) == (answers.components.database == "postgres")
    assert ('module "frontend"' in stack) == answers.components.frontend
    assert ('module "model_endpoint"' in stack) == (answers.components.model_hosting == "sagemaker")
    # Every module the shared `aws` set rendered is called by something.
    calls = "\n".join(p.read_text(encoding="utf-8") for p in (infra / "modules").rglob("*.tf"))
    unused = {m for m in modules if f'source = "../{m}"' not in calls and m != "stack"}
    assert not unused or unused <= ({"waf"} if posture.waf and not posture.public_api else set()), unused
    assert 'source = "../../modules/stack"' in text(infra, "environments/prod/main.tf")


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_only_the_aws_provider_and_no_template_leftovers(profile: str, rendered: dict[str, Path]) -> None:
    infra = rendered[profile] / "infra"
    for sub in ("environments", "modules"):
        for path in (infra / sub).rglob("*.tf"):
            if ".terraform" in path.parts:
                continue
            content = path.read_text(encoding="utf-8")
            sources = re.findall(r'^\s*source\s*=\s*"([^"]+)"', content, flags=re.M)
            assert all(s == "hashicorp/aws" or s.startswith("../") for s in sources), (path, sources)
            assert "${var.x}" not in content and "{{" not in content and "{%" not in content, path
    for env in ENVS:
        assert 'backend "s3" {}' in text(infra, f"environments/{env}/providers.tf")
        assert "use_lockfile = true" in text(infra, f"environments/{env}/backend.hcl")
        tfvars = text(infra, f"environments/{env}/terraform.tfvars")
        assert 'kubernetes_version = "1.35"' in tfvars and "public_access_cidrs = []" in tfvars
