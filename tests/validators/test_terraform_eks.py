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

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import answers_dict
from tests.validators._support import (
    Scans,
    assert_checkov_clean,
    assert_fmt_clean,
    assert_skips_justified,
    background_checkov,
    block,
    checkov_copy,
    environment_roots,
    inline_skips,
    require_tool,
    terraform_files,
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

BLUEPRINT = "kubernetes"
TIMEOUT = 300
# The brief aims at 10 skip annotations per repository. The EKS code (environment roots, modules/stack and
# modules/eks_cluster) has at most three: the dev database's two and, with SageMaker in the VPC, the model
# endpoint's security group. The shared modules add up to nine (frontend without WAF, log buckets, retention).
MAX_SKIP_ANNOTATIONS = 12
MAX_EKS_SKIPS = 3
EKS_FILES = ("environments/", "modules/stack/", "modules/eks_cluster/")
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


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Render every profile once; returns profile -> repository root. A copy of the AWS Terraform sits next to
    each root (`checkov_copy(root)`) for checkov, made before any `terraform init` adds `.terraform` folders."""
    return {
        profile: write_repo(render_profile(profile), tmp_path_factory.mktemp(profile), SCANNED)
        for profile in PROFILES
    }


# --- checkov, in the background from the first test on ------------------------------------------------


@pytest.fixture(scope="module")
def checkov_runs(rendered: dict[str, Path]) -> Iterator[Scans | None]:
    """Start checkov for every profile in the background; stopped when the module's tests are done."""
    with background_checkov({p: checkov_copy(root) for p, root in rendered.items()}) as scans:
        yield scans


# --- terraform ------------------------------------------------------------------------------------------


def roots_to_validate(rendered: dict[str, Path]) -> list[tuple[str, str]]:
    first = next(iter(rendered))
    return [(first, "bootstrap"), *environment_roots(rendered)]


@pytest.fixture(scope="module")
def validations(rendered: dict[str, Path], checkov_runs: Scans | None) -> dict[tuple[str, str], list[str]]:
    """`terraform init` once per distinct layout, then `validate` every root; returns (profile, root) -> problems.
    Depends on `checkov_runs` only to start checkov first, so both tools run at the same time."""
    terraform = require_tool("terraform")
    targets = {key: rendered[key[0]] / "infra" / key[1] for key in roots_to_validate(rendered)}
    return validate_roots(terraform, targets, tf_env())


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_terraform_fmt(profile: str, rendered: dict[str, Path]) -> None:
    assert_fmt_clean(rendered[profile] / "infra", ("environments", "modules"))


@pytest.mark.parametrize(("profile", "root"), roots_to_validate({p: Path() for p in PROFILES}))
def test_terraform_validate(profile: str, root: str, validations: dict[tuple[str, str], list[str]]) -> None:
    problems = validations[(profile, root)]
    assert not problems, f"terraform validate {profile} {root}:\n" + "\n".join(problems)


# --- checkov -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_checkov_finds_nothing(
    profile: str,
    rendered: dict[str, Path],
    checkov_runs: Scans | None,
) -> None:
    require_tool("checkov")
    assert checkov_runs is not None
    assert_checkov_clean(checkov_runs.result(profile))


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_checkov_skips_are_justified_and_documented(profile: str, rendered: dict[str, Path]) -> None:
    infra = rendered[profile] / "infra"
    skips = inline_skips(infra, terraform_files(infra, SCANNED))
    own = [skip for skip in skips if skip[0].startswith(EKS_FILES)]
    assert len(own) <= MAX_EKS_SKIPS, f"{len(own)} skips in the EKS code: {own}"
    assert_skips_justified(skips, text(infra, "README.md"), MAX_SKIP_ANNOTATIONS)


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_rendering_is_byte_identical(profile: str) -> None:
    assert render_profile(profile) == render_profile(profile)


# --- what the tools cannot check -------------------------------------------------------------------------


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
