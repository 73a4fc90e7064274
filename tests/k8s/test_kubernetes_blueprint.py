"""Validates the Kubernetes blueprint's manifests (`k8s/`) and its GKE/AKS Terraform with the real tools.

Every profile is rendered once (`render(answers, "kubernetes")`) into a temporary directory. Then:
- every overlay is built with `kubectl kustomize` and the builds pass `kubernetes-validate --strict` against the
  Kubernetes 1.32 schemas (custom resources have no schema there: their fields are checked below instead);
- checkov (kubernetes + terraform) runs once per profile over the raw manifests, the kustomize builds (what is
  really applied) and the GKE/AKS Terraform: zero failed checks, no suppression in the manifests, and every
  Terraform suppression is a known one with a reason that the cloud's infra README lists;
- every `.tf` under `infra/gcp` and `infra/azure` parses with python-hcl2 and passes `terraform fmt -check`
  (the `google` and `azurerm` providers are not installable offline, so `terraform validate` cannot run);
- rendering twice gives byte-identical files.
Content tests check what the tools cannot: the restricted pod security profile, sizing, probes, per-cloud
ingress/identity wiring, GPU scheduling, long-lived connection timeouts, and that each overlay's
cluster-values.yaml has exactly the keys the cluster's Terraform outputs.

Until the `eks` template set exists, aws/any/multi profiles render from a scratch copy of the templates with an
empty `eks` folder (never in the repository). The AWS Terraform itself (`infra/environments`, `infra/modules`,
`infra/bootstrap`) belongs to other test modules and is not scanned here. Slow tools run in a thread pool.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, answers_dict, require_tool
from wizard.core.answers import parse_answers
from wizard.core.posture import derive_posture, environments
from wizard.core.render import RenderedFile, render
from wizard.core.sizing import Sizing, size_workload

BLUEPRINT = "kubernetes"
KUBE_VERSION = "1.32.0"
TIMEOUT = 300
MIN_REASON_CHARS = 40
CANARY = 'Scores {{ 7*7 }} ${var.x} "quoted" \\ it\'s'
BUILD_DIR = "kustomize-build"

# Seven profiles: every cloud, GPU on each cluster, database on each cloud, public and internal ingress, with and
# without a domain, every data sensitivity that changes the output, long-lived connections on all three clusters.
PROFILES: dict[str, dict[str, Any]] = {
    "aws-default": answers_dict(project={"name": "demo-k8s"}),
    "aws-gpu": answers_dict(
        project={"name": "gpu-scorer"}, workload={"gpu": True, "peak_rps": 50, "model_size_mb": 4000}
    ),
    "aws-regulated": answers_dict(
        project={"name": "claims-k8s", "description": CANARY},
        data={"sensitivity": "regulated", "pii": True, "compliance": ["hipaa"]},
        components={"database": "postgres", "domain": "api.claims.example.com"},
    ),
    "gcp-postgres": answers_dict(
        project={"name": "gcp-scorer"},
        platform={"cloud": "gcp", "region": "europe-west3"},
        workload={"gpu": True},
        data={"sensitivity": "confidential", "pii": True, "compliance": ["gdpr"]},
        components={"database": "postgres", "domain": "api.example.eu"},
    ),
    "azure-postgres-gpu": answers_dict(
        project={"name": "azure-scorer-with-a-long-name-abcdefgh"},
        platform={"cloud": "azure"},
        workload={"gpu": True, "peak_rps": 300, "traffic_pattern": "spiky"},
        data={"sensitivity": "regulated", "compliance": ["pci_dss"]},
        components={"database": "postgres", "domain": "scores.example.org"},
    ),
    "multi-batch": answers_dict(
        project={"name": "multi-svc"},
        platform={"cloud": "multi", "region": "eu-west-1"},
        workload={"peak_rps": 0, "traffic_pattern": "batch"},
        components={"database": "postgres"},
    ),
    "multi-long-lived": answers_dict(
        project={"name": "stream-svc"},
        platform={"cloud": "multi"},
        workload={"long_lived_connections": True},
        data={"sensitivity": "confidential"},
        components={"domain": "stream.example.com"},
    ),
}

CLUSTERS = {"aws": ["eks"], "any": ["eks"], "gcp": ["gke"], "azure": ["aks"], "multi": ["eks", "gke", "aks"]}
INFRA = {"gke": "infra/gcp", "aks": "infra/azure"}
GPU_NODE_SELECTOR = {
    "eks": ("k8s.amazonaws.com/accelerator", "nvidia"),
    "gke": ("cloud.google.com/gke-accelerator", "nvidia-l4"),
    "aks": ("kubernetes.azure.com/agentpool", "gpu"),
}
# Terraform suppressions this code may carry (each also needs an inline reason and a line in the infra README).
ALLOWED_TF_SKIPS = {
    "CKV_GCP_6", "CKV_GCP_12", "CKV_GCP_20", "CKV_GCP_61", "CKV_GCP_65", "CKV_GCP_69", "CKV_GCP_79",
    "CKV_AZURE_117", "CKV_AZURE_136", "CKV_AZURE_139", "CKV_AZURE_160", "CKV_AZURE_165", "CKV_AZURE_166",
    "CKV_AZURE_170", "CKV_AZURE_189", "CKV2_AZURE_57",
}  # fmt: skip
# Fields of the custom resources kubernetes-validate has no schema for (from their CRDs).
CRD_SPEC_FIELDS = {
    "BackendConfig": {
        "cdn", "connectionDraining", "customRequestHeaders", "customResponseHeaders", "healthCheck", "iap",
        "logging", "securityPolicy", "sessionAffinity", "timeoutSec",
    },
    "FrontendConfig": {"redirectToHttps", "sslPolicy"},
    "ManagedCertificate": {"domains"},
    "NginxIngressController": {
        "controllerNamePrefix", "customHTTPErrors", "defaultBackendService", "defaultSSLCertificate",
        "httpDisabled", "ingressClassName", "loadBalancerAnnotations", "logFormat", "scaling",
    },
}  # fmt: skip


# --- rendering -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def templates_root(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """Return a scratch copy of the templates with an empty `eks` set while the real one does not exist yet."""
    real = ROOT / "templates"
    if (real / "eks").is_dir():
        return None
    copy = tmp_path_factory.mktemp("templates") / "templates"
    shutil.copytree(real, copy)
    (copy / "eks").mkdir()
    return copy


def render_profile(profile: str, templates_root: Path | None) -> list[RenderedFile]:
    return render(parse_answers(PROFILES[profile]), BLUEPRINT, templates_root=templates_root)


def clusters(profile: str) -> list[str]:
    return CLUSTERS[parse_answers(PROFILES[profile]).platform.cloud]


def sizing(profile: str) -> Sizing:
    return size_workload(parse_answers(PROFILES[profile]))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, templates_root: Path | None) -> dict[str, Path]:
    """Render every profile once and write it to disk; returns profile -> repository root."""
    roots: dict[str, Path] = {}
    for profile in PROFILES:
        root = tmp_path_factory.mktemp(profile)
        for file in render_profile(profile, templates_root):
            path = root / file.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(file.content, encoding="utf-8")
        roots[profile] = root
    return roots


def overlays(root: Path) -> list[Path]:
    return sorted(p for p in (root / "k8s" / "overlays").iterdir() if p.is_dir())


def overlay_cluster(overlay: Path, profile: str) -> str:
    return overlay.name.split("-")[-1] if "-" in overlay.name else clusters(profile)[0]


def overlay_env(overlay: Path) -> str:
    return overlay.name.split("-")[0]


def run(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


@pytest.fixture(scope="module")
def builds(rendered: dict[str, Path]) -> dict[str, dict[str, Path]]:
    """Build every overlay with `kubectl kustomize`; returns profile -> overlay name -> built YAML file."""
    kubectl = require_tool("kubectl")
    jobs = [(profile, overlay) for profile, root in rendered.items() for overlay in overlays(root)]

    def build(job: tuple[str, Path]) -> tuple[str, str, subprocess.CompletedProcess[str]]:
        profile, overlay = job
        return profile, overlay.name, run([kubectl, "kustomize", str(overlay)], cwd=rendered[profile])

    out: dict[str, dict[str, Path]] = {profile: {} for profile in rendered}
    failures: list[str] = []
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for profile, name, done in pool.map(build, jobs):
            if done.returncode != 0:
                failures.append(f"{profile} {name}: {done.stderr.strip()}")
                continue
            target = rendered[profile] / BUILD_DIR / f"{name}.yaml"
            target.parent.mkdir(exist_ok=True)
            target.write_text(done.stdout, encoding="utf-8")
            out[profile][name] = target
    assert not failures, "kubectl kustomize failed:\n" + "\n".join(failures)
    return out


def docs(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def find(items: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [d for d in items if d["kind"] == kind]


def one(items: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = find(items, kind)
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


def built_overlays(
    builds: dict[str, dict[str, Path]], profile: str
) -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    """Yield (environment, cluster, documents) for every overlay of the profile."""
    for name, path in sorted(builds[profile].items()):
        yield overlay_env(Path(name)), overlay_cluster(Path(name), profile), docs(path)


# --- the real tools ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def checkov_results(
    rendered: dict[str, Path], builds: dict[str, dict[str, Path]]
) -> dict[str, list[dict[str, Any]]]:
    """Run checkov once per profile, two at a time, over a copy of what this blueprint adds."""
    checkov = require_tool("checkov")
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE"}

    def scan(profile: str) -> tuple[str, subprocess.CompletedProcess[str]]:
        root = rendered[profile]
        target = root.parent / f"{root.name}-checkov"
        for sub in ("k8s", BUILD_DIR, *INFRA.values()):
            if (root / sub).is_dir():
                shutil.copytree(root / sub, target / sub)
        # Without --quiet: the report then lists the suppressed checks with their reasons too.
        argv = [checkov, "-d", str(target), "--compact", "--skip-download", "-o", "json",
                "--framework", "kubernetes", "terraform"]  # fmt: skip
        return profile, run(argv, cwd=target, env=env)

    results: dict[str, list[dict[str, Any]]] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for profile, done in pool.map(scan, sorted(rendered)):
            assert done.returncode in (0, 1), f"checkov crashed for {profile}: {done.stderr[-2000:]}"
            data = json.loads(done.stdout)
            results[profile] = data if isinstance(data, list) else [data]
    return results


@pytest.mark.validators
@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_overlays_pass_kubernetes_validate_strict(profile: str, builds: dict[str, dict[str, Path]]) -> None:
    validator = require_tool("kubernetes-validate")
    files = [str(p) for p in builds[profile].values()]
    expected = {f"dev-{c}" for c in clusters(profile)} | {f"prod-{c}" for c in clusters(profile)}
    if len(clusters(profile)) == 1:
        expected = {"dev", "prod"}
    assert set(builds[profile]) == expected
    done = run([validator, "--strict", "--quiet", "-k", KUBE_VERSION, *files], cwd=Path.cwd())
    errors = [line for line in done.stdout.splitlines() if line.startswith(("ERROR", "FATAL"))]
    assert done.returncode == 0 and not errors, done.stdout + done.stderr
    # Only the clouds' own custom resources may lack a schema: a built-in kind without one is a typo.
    unknown = re.findall(r"Couldn't find schema for kind (\S+) with api version (\S+)", done.stdout)
    assert {kind for kind, _ in unknown} <= set(CRD_SPEC_FIELDS), unknown


@pytest.mark.validators
@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_checkov_finds_nothing(
    profile: str, checkov_results: dict[str, list[dict[str, Any]]], rendered: dict[str, Path]
) -> None:
    reports = {r["check_type"]: r for r in checkov_results[profile]}
    assert "kubernetes" in reports, "checkov found no manifests"
    failed = [
        f"{r['check_type']} {c['check_id']} {c['file_path']} {c['resource']}"
        for r in checkov_results[profile]
        for c in r["results"]["failed_checks"]
    ]
    assert not failed, "checkov failed checks:\n" + "\n".join(failed)
    # The manifests suppress nothing; Terraform suppressions are known ones with a reason the README repeats.
    assert not reports["kubernetes"]["results"].get("skipped_checks")
    # checkov does not carry the reason of a suppression made inside a module: read it from the source.
    inline = inline_skips(rendered[profile])
    tf = reports.get("terraform", {"results": {}})
    for skip in tf["results"].get("skipped_checks", []):
        check = skip["check_id"]
        assert check in ALLOWED_TF_SKIPS, f"new suppression {check} in {skip['file_path']}"
        assert check in inline, f"{check} is suppressed without an inline `# checkov:skip={check}: reason`"
    for check, (where, reason) in inline.items():
        assert len(reason) >= MIN_REASON_CHARS, f"{where}: the reason for {check} is too short"
        infra = "infra/gcp" if "GCP" in check else "infra/azure"
        readme = (rendered[profile] / infra / "README.md").read_text(encoding="utf-8")
        assert check in readme, f"{check} is not explained in {infra}/README.md"


SKIP_COMMENT = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)\s*:\s*(.*)$", re.M)


def inline_skips(root: Path) -> dict[str, tuple[str, str]]:
    """Return check id -> (file, reason) for every `# checkov:skip=` comment in the GKE/AKS Terraform."""
    found: dict[str, tuple[str, str]] = {}
    for path in tf_files(root):
        for check, reason in SKIP_COMMENT.findall(path.read_text(encoding="utf-8")):
            found[check] = (str(path.relative_to(root)), reason.strip())
    return found


def tf_files(root: Path) -> list[Path]:
    return sorted(p for sub in INFRA.values() if (root / sub).is_dir() for p in (root / sub).rglob("*.tf"))


def hcl_loads() -> Any:
    try:
        from hcl2.api import loads
    except ImportError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("python-hcl2 is not installed; in CI a missing validator is a failure")
        pytest.skip("python-hcl2 is not installed")
    return loads


@pytest.mark.validators
@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_gke_aks_terraform_parses_and_is_formatted(profile: str, rendered: dict[str, Path]) -> None:
    root = rendered[profile]
    files = tf_files(root)
    expected = {INFRA[c] for c in clusters(profile) if c in INFRA}
    assert {
        str(p.relative_to(root)).split("/environments")[0].split("/modules")[0] for p in files
    } == expected
    loads = hcl_loads()
    for path in files:
        loads(path.read_text(encoding="utf-8"))
    terraform = require_tool("terraform")
    for sub in sorted(expected):
        done = run([terraform, "fmt", "-check", "-recursive", "-list=true", sub], cwd=root)
        assert done.returncode == 0, f"terraform fmt would change: {done.stdout}{done.stderr}"


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_rendering_is_byte_identical(profile: str, templates_root: Path | None) -> None:
    first = render_profile(profile, templates_root)
    second = render_profile(profile, templates_root)
    assert first == second


# --- what the manifests guarantee ----------------------------------------------------------------------------


def value(text: str) -> float:
    """Return a CPU (`500m`) or memory (`1024Mi`) quantity as a number of cores or MiB."""
    if text.endswith("m"):
        return int(text[:-1]) / 1000
    if text.endswith("Mi"):
        return int(text[:-2])
    return float(text)


def pod_spec(items: list[dict[str, Any]]) -> dict[str, Any]:
    return one(items, "Deployment")["spec"]["template"]["spec"]


def container(items: list[dict[str, Any]]) -> dict[str, Any]:
    containers = pod_spec(items)["containers"]
    assert [c["name"] for c in containers] == ["app"]
    return containers[0]


def env_vars(items: list[dict[str, Any]]) -> dict[str, str]:
    return {e["name"]: e["value"] for e in container(items)["env"]}


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_pods_meet_the_restricted_pod_security_standard(
    profile: str, builds: dict[str, dict[str, Path]]
) -> None:
    for _env, _cluster, items in built_overlays(builds, profile):
        labels = one(items, "Namespace")["metadata"]["labels"]
        assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
        spec = pod_spec(items)
        assert spec["automountServiceAccountToken"] is False
        assert one(items, "ServiceAccount")["automountServiceAccountToken"] is False
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True and pod["runAsUser"] == 10001 and pod["runAsGroup"] == 10001
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}
        assert not any(spec.get(k) for k in ("hostNetwork", "hostPID", "hostIPC"))
        app = container(items)
        sc = app["securityContext"]
        assert sc["allowPrivilegeEscalation"] is False and sc["readOnlyRootFilesystem"] is True
        assert sc["capabilities"] == {"drop": ["ALL"]} and sc["runAsNonRoot"] is True
        # The read-only root needs a writable /tmp (the app's model cache and temporary files).
        tmp = next(v for v in spec["volumes"] if v["name"] == "tmp")
        assert "emptyDir" in tmp and {"name": "tmp", "mountPath": "/tmp"} in app["volumeMounts"]
        assert re.fullmatch(r"\S+@sha256:[0-9a-f]{64}", app["image"]), app["image"]


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_probes_sizing_and_availability(profile: str, builds: dict[str, dict[str, Path]]) -> None:
    answers = parse_answers(PROFILES[profile])
    size = sizing(profile)
    envs = environments(answers, size.min_replicas, size.max_replicas, derive_posture(answers))
    for env, _cluster, items in built_overlays(builds, profile):
        app = container(items)
        assert app["ports"] == [{"name": "http", "containerPort": 8080, "protocol": "TCP"}]
        for probe, path in (
            ("startupProbe", "/health"),
            ("livenessProbe", "/health"),
            ("readinessProbe", "/ready"),
        ):
            assert app[probe]["httpGet"] == {"path": path, "port": "http"}, probe
        variables = env_vars(items)
        assert variables["PORT"] == "8080" and variables["WEB_CONCURRENCY"] == str(size.workers)
        resources = app["resources"]
        assert value(resources["limits"]["cpu"]) == size.vcpu
        assert (
            value(resources["limits"]["memory"]) == value(resources["requests"]["memory"]) == size.memory_mb
        )
        if env == "prod":
            assert value(resources["requests"]["cpu"]) == size.vcpu
        else:
            assert value(resources["requests"]["cpu"]) <= size.vcpu
        hpa = one(items, "HorizontalPodAutoscaler")["spec"]
        assert (hpa["minReplicas"], hpa["maxReplicas"]) == (envs[env].min_replicas, envs[env].max_replicas)
        assert "replicas" not in one(items, "Deployment")["spec"], "the autoscaler owns the replica count"
        assert one(items, "PodDisruptionBudget")["spec"]["maxUnavailable"] == 1
        spread = {c["topologyKey"] for c in pod_spec(items)["topologySpreadConstraints"]}
        assert "topology.kubernetes.io/zone" in spread


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_network_policies_deny_by_default(profile: str, builds: dict[str, dict[str, Path]]) -> None:
    answers = parse_answers(PROFILES[profile])
    for _env, _cluster, items in built_overlays(builds, profile):
        policies = {p["metadata"]["name"]: p["spec"] for p in find(items, "NetworkPolicy")}
        assert policies["default-deny"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
        ingress = [rule for spec in policies.values() for rule in spec.get("ingress", [])]
        assert ingress and all(rule["from"] for rule in ingress), "ingress only from the load balancer"
        assert {p["port"] for rule in ingress for p in rule["ports"]} == {8080}
        egress_ports = {
            p["port"] for spec in policies.values() for r in spec.get("egress", []) for p in r["ports"]
        }
        assert {53, 443} <= egress_ports
        assert (5432 in egress_ports) == (answers.components.database == "postgres")


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_each_cluster_gets_its_ingress_and_identity(profile: str, builds: dict[str, dict[str, Path]]) -> None:
    answers = parse_answers(PROFILES[profile])
    posture = derive_posture(answers)
    long_lived = answers.workload.long_lived_connections
    for _env, cluster, items in built_overlays(builds, profile):
        text = yaml.safe_dump_all(items)
        assert "from-cluster-values" not in text, "a replacement from cluster-values.yaml did not apply"
        assert not [c for c in find(items, "ConfigMap") if c["metadata"]["name"] == "cluster-values"]
        ingress = one(items, "Ingress")
        annotations = ingress["metadata"].get("annotations", {})
        paths = {p["path"] for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]}
        assert paths == {"/predict", "/health"}, "only the API is published"
        sa = one(items, "ServiceAccount")["metadata"].get("annotations", {})
        pod_labels = one(items, "Deployment")["spec"]["template"]["metadata"]["labels"]
        variables = env_vars(items)
        if cluster == "eks":
            assert ingress["spec"]["ingressClassName"] == "alb"
            scheme = "internet-facing" if posture.public_api else "internal"
            assert annotations["alb.ingress.kubernetes.io/scheme"] == scheme
            assert annotations["alb.ingress.kubernetes.io/target-type"] == "ip"
            assert not sa, "EKS Pod Identity needs no annotation"
            attributes = annotations["alb.ingress.kubernetes.io/load-balancer-attributes"]
            assert ("idle_timeout.timeout_seconds=3600" in attributes) == long_lived
            assert variables["AWS_REGION"] == answers.platform.region
        elif cluster == "gke":
            assert "ingressClassName" not in ingress["spec"], "GKE ignores ingressClassName"
            expected = "gce" if posture.public_api else "gce-internal"
            assert annotations["kubernetes.io/ingress.class"] == expected
            assert sa["iam.gke.io/gcp-service-account"].endswith(".iam.gserviceaccount.com")
            backend = one(items, "BackendConfig")["spec"]
            assert backend["healthCheck"]["requestPath"] == "/ready"
            assert backend["timeoutSec"] == (3600 if long_lived else 60)
            service = one(items, "Service")["metadata"]["annotations"]
            assert json.loads(service["cloud.google.com/neg"]) == {"ingress": True}
        else:
            expected = "webapprouting.kubernetes.azure.com"
            if long_lived or not posture.public_api:
                expected = answers.project.name
                controller = one(items, "NginxIngressController")["spec"]
                assert controller["ingressClassName"] == expected
                lb = controller.get("loadBalancerAnnotations") or {}
                internal = lb.get("service.beta.kubernetes.io/azure-load-balancer-internal")
                assert (internal == "true") == (not posture.public_api)
                timeout = lb.get("service.beta.kubernetes.io/azure-load-balancer-tcp-idle-timeout")
                assert (timeout == "60") == long_lived
            assert ingress["spec"]["ingressClassName"] == expected
            assert re.fullmatch(r"[0-9a-f-]{36}", sa["azure.workload.identity/client-id"])
            assert pod_labels["azure.workload.identity/use"] == "true"
            assert (annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout") == "3600") == long_lived
        if long_lived:
            graceful = int(variables["GRACEFUL_TIMEOUT"])
            assert graceful >= 120 and pod_spec(items)["terminationGracePeriodSeconds"] > graceful + 5


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_gpu_replicas_land_on_gpu_nodes(profile: str, builds: dict[str, dict[str, Path]]) -> None:
    gpus = sizing(profile).gpu_count
    for _env, cluster, items in built_overlays(builds, profile):
        spec = pod_spec(items)
        limits = container(items)["resources"]["limits"]
        if not gpus:
            assert "nvidia.com/gpu" not in limits and "nodeSelector" not in spec
            continue
        assert limits["nvidia.com/gpu"] == str(gpus)
        key, expected = GPU_NODE_SELECTOR[cluster]
        assert spec["nodeSelector"] == {key: expected}
        assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in spec["tolerations"]


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_custom_resources_use_known_fields(profile: str, builds: dict[str, dict[str, Path]]) -> None:
    """kubernetes-validate has no schema for the clouds' custom resources: check them against their CRDs."""
    for _env, _cluster, items in built_overlays(builds, profile):
        for item in items:
            if item["kind"] in CRD_SPEC_FIELDS:
                assert set(item["spec"]) <= CRD_SPEC_FIELDS[item["kind"]], item
        for item in find(items, "ManagedCertificate"):
            assert item["spec"]["domains"] == [parse_answers(PROFILES[profile]).components.domain]
        for item in find(items, "FrontendConfig"):
            assert item["spec"]["redirectToHttps"]["enabled"] is True and item["spec"]["sslPolicy"]
        for item in find(items, "NginxIngressController"):
            assert re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", item["spec"]["controllerNamePrefix"])


# --- the contract between the manifests and the clusters' Terraform -----------------------------------------


def cluster_values_keys(overlay: Path) -> set[str]:
    return set(yaml.safe_load((overlay / "cluster-values.yaml").read_text(encoding="utf-8"))["data"])


def terraform_output_keys(outputs_tf: Path) -> set[str]:
    """Return the ConfigMap keys the `k8s_cluster_values` output writes (its only upper-case attribute names)."""
    text = outputs_tf.read_text(encoding="utf-8")
    start = text.index('output "k8s_cluster_values"')
    depth, end = 0, start
    for end in range(text.index("{", start), len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if depth == 0:
            break
    return set(re.findall(r'^\s*"?([A-Z][A-Z0-9_]*)"?\s*=', text[start:end], flags=re.M))


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_terraform_outputs_exactly_the_cluster_values(profile: str, rendered: dict[str, Path]) -> None:
    root = rendered[profile]
    for overlay in overlays(root):
        cluster = overlay_cluster(overlay, profile)
        if cluster not in INFRA:
            continue  # EKS: the eks set's Terraform (see test_eks_terraform_outputs_what_the_overlays_need)
        outputs = root / INFRA[cluster] / "environments" / overlay_env(overlay) / "outputs.tf"
        assert terraform_output_keys(outputs) == cluster_values_keys(overlay), overlay.name


def test_eks_terraform_outputs_what_the_overlays_need(rendered: dict[str, Path]) -> None:
    for profile in ("aws-default", "aws-regulated"):
        root = rendered[profile]
        for env in ("dev", "prod"):
            outputs = root / "infra" / "environments" / env / "outputs.tf"
            text = outputs.read_text(encoding="utf-8")
            for name in ("cluster_name", "vpc_id", "ecr_repository_url", "k8s_cluster_values"):
                assert f'output "{name}"' in text, f"{outputs}: output {name} is missing"
            assert terraform_output_keys(outputs) == cluster_values_keys(root / "k8s" / "overlays" / env)


def one_value(item: Any) -> Any:
    """Unwrap python-hcl2's single-element lists (attribute values) and quotes."""
    while isinstance(item, list) and len(item) == 1:
        item = item[0]
    return item.strip('"') if isinstance(item, str) else item


def resources_of(parsed: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [
        body for block in parsed.get("resource", []) for name, body in block.get(kind, {}).items() if name
    ]


@pytest.mark.parametrize("profile", ["gcp-postgres", "multi-batch"])
def test_gke_is_a_private_autopilot_cluster_with_workload_identity(
    profile: str, rendered: dict[str, Path]
) -> None:
    loads = hcl_loads()
    gcp = rendered[profile] / "infra" / "gcp"
    parsed = loads((gcp / "modules/cluster/main.tf").read_text())
    cluster = resources_of(parsed, "google_container_cluster")[0]
    assert one_value(cluster["enable_autopilot"]) is True
    assert one_value(one_value(cluster["private_cluster_config"])["enable_private_nodes"]) is True
    endpoints = one_value(cluster["control_plane_endpoints_config"])
    assert one_value(one_value(endpoints["ip_endpoints_config"])["enabled"]) is False
    assert "svc.id.goog" in one_value(one_value(cluster["workload_identity_config"])["workload_pool"])
    parsed = loads((gcp / "modules/database/main.tf").read_text())
    sql = resources_of(parsed, "google_sql_database_instance")[0]
    ip = one_value(one_value(sql["settings"])["ip_configuration"])
    assert one_value(ip["ipv4_enabled"]) is False
    for env in ("dev", "prod"):
        terraform = one_value(loads((gcp / "environments" / env / "providers.tf").read_text())["terraform"])
        google = one_value(one_value(terraform["required_providers"])["google"])
        assert one_value(google["version"]) == "~> 6.27" and "gcs" in one_value(terraform["backend"])


@pytest.mark.parametrize("profile", ["azure-postgres-gpu", "multi-batch"])
def test_aks_is_private_with_workload_identity(profile: str, rendered: dict[str, Path]) -> None:
    loads = hcl_loads()
    azure = rendered[profile] / "infra" / "azure"
    parsed = loads((azure / "modules/cluster/main.tf").read_text())
    aks = resources_of(parsed, "azurerm_kubernetes_cluster")[0]
    for key in (
        "private_cluster_enabled",
        "workload_identity_enabled",
        "oidc_issuer_enabled",
        "local_account_disabled",
    ):
        assert one_value(aks[key]) is True, key
    assert one_value(one_value(aks["network_profile"])["network_policy"]) == "cilium"
    gpu = [
        p
        for p in resources_of(parsed, "azurerm_kubernetes_cluster_node_pool")
        if one_value(p["name"]) == "gpu"
    ]
    assert one_value(gpu[0]["node_taints"]) == "nvidia.com/gpu=present:NoSchedule"
    pg = resources_of(
        loads((azure / "modules/database/main.tf").read_text()), "azurerm_postgresql_flexible_server"
    )[0]
    assert one_value(pg["public_network_access_enabled"]) is False
    main = (azure / "environments/prod/main.tf").read_text()
    assert ("gpu_vm_size" in main) == (sizing(profile).gpu_count > 0)
    for env in ("dev", "prod"):
        terraform = one_value(loads((azure / "environments" / env / "providers.tf").read_text())["terraform"])
        azurerm = one_value(one_value(terraform["required_providers"])["azurerm"])
        assert one_value(azurerm["version"]) == "~> 4.0" and "azurerm" in one_value(terraform["backend"])


def test_multi_cloud_readme_explains_each_cluster(rendered: dict[str, Path]) -> None:
    root = rendered["multi-long-lived"]
    readme = (root / "README.md").read_text(encoding="utf-8")
    deploy = readme[readme.index("## Deploy") :]
    for title in (
        "### Multi-cloud",
        "### Amazon EKS",
        "### GKE",
        "### AKS",
        "Install the AWS Load Balancer Controller",
    ):
        assert title in deploy, title
    for overlay in ("dev-eks", "prod-eks", "dev-gke", "prod-gke", "dev-aks", "prod-aks"):
        assert overlay in deploy and (root / "k8s" / "overlays" / overlay).is_dir()
    for step in (
        "kustomize edit set image",
        "kubectl apply -k",
        "rollout status",
        "kubectl delete -k",
        "terraform destroy",
    ):
        assert step in deploy, step
    assert "What differs per cluster" in (root / "k8s" / "README.md").read_text(encoding="utf-8")


# --- the database: credentials per cluster, and the app accepting what the manifests give it --------------

POSTGRES_PROFILES = sorted(
    p for p in PROFILES if PROFILES[p].get("components", {}).get("database") == "postgres"
)
DB_ROLE = "api"


def generated_settings(root: Path, profile: str) -> Any:
    """Import the generated app's `service/settings.py` (standard library only) under a unique name."""
    name = f"generated_settings_{profile.replace('-', '_')}"
    spec = importlib.util.spec_from_file_location(name, root / "app" / "service" / "settings.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look the module up while building the classes
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_database_credentials_never_come_from_literal_values(
    profile: str, builds: dict[str, dict[str, Path]]
) -> None:
    name = parse_answers(PROFILES[profile]).project.name
    postgres = profile in POSTGRES_PROFILES
    for _env, cluster, items in built_overlays(builds, profile):
        app = container(items)
        variables = env_vars(items)  # every entry has a literal value: no secret is ever an env value
        assert not find(items, "Secret"), "a Secret in the manifests would put its value in git"
        assert "DB_PASSWORD" not in variables
        volumes = {v["name"]: v for v in pod_spec(items)["volumes"]}
        if not postgres:
            assert not [k for k in variables if k.startswith("DB_")] and "database" not in volumes
            continue
        assert variables["DB_SSLMODE"] == ("verify-full" if cluster == "aks" else "require")
        if cluster == "eks":
            # EKS: the RDS-managed secret, read from Secrets Manager with the pod's IAM role.
            assert variables["DB_SECRET_ARN"].startswith("arn:aws:secretsmanager:")
            assert {"DB_USER", "DB_PASSWORD_FILE"}.isdisjoint(variables) and "database" not in volumes
            continue
        # GKE and AKS: the password is a file from the Kubernetes Secret <name>-database, mounted read-only.
        assert "DB_SECRET_ARN" not in variables and variables["DB_USER"] == DB_ROLE
        secret = volumes["database"]["secret"]
        assert secret["secretName"] == f"{name}-database"
        assert secret["items"] == [{"key": "password", "path": "password"}]
        assert secret["defaultMode"] == 0o440 and not secret.get("optional", False)
        [mount] = [m for m in app["volumeMounts"] if m["name"] == "database"]
        assert mount["readOnly"] is True
        assert variables["DB_PASSWORD_FILE"] == f"{mount['mountPath']}/password"
        if cluster == "aks":
            assert variables["DB_SSLROOTCERT"] == "/etc/ssl/certs/ca-certificates.crt"


@pytest.mark.parametrize("profile", POSTGRES_PROFILES)
def test_the_app_settings_accept_each_overlays_environment(
    profile: str, builds: dict[str, dict[str, Path]], rendered: dict[str, Path], tmp_path: Path
) -> None:
    settings = generated_settings(rendered[profile], profile)
    password = tmp_path / "password"  # what the mounted Secret gives the pod
    password.write_text("from-the-secret\n", encoding="utf-8")
    bundle = tmp_path / "ca-certificates.crt"  # what the image has
    bundle.write_text("", encoding="utf-8")
    for env, cluster, items in built_overlays(builds, profile):
        variables = env_vars(items)
        local = {
            **variables,
            **({"DB_PASSWORD_FILE": str(password)} if "DB_PASSWORD_FILE" in variables else {}),
            **({"DB_SSLROOTCERT": str(bundle)} if "DB_SSLROOTCERT" in variables else {}),
        }
        database = settings.Settings.from_env(local).database
        assert (database.host, database.name) == (variables["DB_HOST"], variables["DB_NAME"]), env
        if cluster == "eks":
            assert database.secret_arn == variables["DB_SECRET_ARN"] and not database.user
        else:
            assert (database.secret_arn, database.user) == ("", DB_ROLE)
            assert database.password_file == str(password)
        # The manifests' environment without its credentials is refused, naming what is missing.
        without = {k: v for k, v in local.items() if k not in ("DB_SECRET_ARN", "DB_PASSWORD_FILE")}
        with pytest.raises(settings.SettingsError, match="DB_SECRET_ARN" if cluster == "eks" else "DB_"):
            settings.Settings.from_env(without)


def test_gke_and_aks_databases_take_the_service_role_and_keep_passwords_out_of_terraform(
    rendered: dict[str, Path],
) -> None:
    loads = hcl_loads()
    for profile in ("gcp-postgres", "azure-postgres-gpu", "multi-batch"):
        root = rendered[profile]
        for sub in [INFRA[c] for c in clusters(profile) if c in INFRA]:
            text = "\n".join(p.read_text(encoding="utf-8") for p in (root / sub).rglob("*.tf"))
            # No password is generated into, or output from, the state.
            assert 'resource "random_password"' not in text and "sensitive" not in text
            readme = (root / sub / "README.md").read_text(encoding="utf-8")
            access = readme[readme.index("## Database access") :]
            name = parse_answers(PROFILES[profile]).project.name
            assert f"create secret generic {name}-database --from-file=password=<(printf %s" in access
            assert f"CREATE ROLE {DB_ROLE} LOGIN;" in access and f"\\password {DB_ROLE}" in access
            assert "DB_SECRET_ARN" not in readme and "does not start" not in readme
        if "gke" in clusters(profile):
            main = (root / "infra/gcp/environments/prod/main.tf").read_text(encoding="utf-8")
            assert "roles/cloudsql" not in main, "the API's Google account needs no Cloud SQL role"
        if "aks" in clusters(profile):
            module = root / "infra/azure/modules/database"
            parsed = loads((module / "main.tf").read_text())
            pg = resources_of(parsed, "azurerm_postgresql_flexible_server")[0]
            auth = one_value(pg["authentication"])
            assert one_value(auth["password_auth_enabled"]) is True
            assert one_value(auth["active_directory_auth_enabled"]) is True
            # The administrator password is ephemeral and write-only: never in the state or the plan.
            assert "administrator_password" not in pg
            assert "ephemeral.random_password" in one_value(pg["administrator_password_wo"])
            versions = one_value(loads((module / "versions.tf").read_text())["terraform"])
            assert one_value(versions["required_version"]) == ">= 1.11"
            providers = (root / "infra/azure/environments/prod/providers.tf").read_text(encoding="utf-8")
            assert 'required_version = ">= 1.11"' in providers


def test_k8s_readme_explains_the_database_secret(rendered: dict[str, Path]) -> None:
    for profile in POSTGRES_PROFILES:
        readme = (rendered[profile] / "k8s" / "README.md").read_text(encoding="utf-8")
        if clusters(profile) == ["eks"]:
            assert "## Database credentials" not in readme
            continue
        section = readme[readme.index("## Database credentials") : readme.index("## Checks")]
        name = parse_answers(PROFILES[profile]).project.name
        for fact in (f"{name}-database", "DB_PASSWORD_FILE", "create secret generic", "CKV_K8S_35"):
            assert fact in section, fact


# --- the repository README's architecture diagram ------------------------------------------------------------

DIAGRAM_SERVICES = {
    "eks": ("Amazon EKS", "Load balancer", "CloudWatch", "Container registry"),
    "gke": ("GKE Autopilot", "Cloud Load Balancing", "Artifact Registry", "Cloud Logging"),
    "aks": (
        "AKS",
        "Azure Load Balancer",
        "Application routing add-on",
        "Azure Container Registry",
        "Azure Monitor",
    ),
}
DIAGRAM_DATABASE = {
    "eks": ("PostgreSQL", "Secrets Manager"),
    "gke": ("Cloud SQL for PostgreSQL", "Kubernetes Secret"),
    "aks": ("Azure Database for PostgreSQL", "Kubernetes Secret"),
}
AWS_ONLY = ("AWS", "CloudWatch", "Secrets Manager", "S3", "SageMaker", "CloudFront", "ECR")


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_the_architecture_diagram_shows_the_chosen_clouds(profile: str, rendered: dict[str, Path]) -> None:
    readme = (rendered[profile] / "README.md").read_text(encoding="utf-8")
    architecture = readme[readme.index("## Architecture") : readme.index("## Sizing")]
    blocks = re.findall(r"```mermaid\n(.*?)```", architecture, flags=re.S)
    postgres = profile in POSTGRES_PROFILES
    assert len(blocks) == len(clusters(profile)), "one diagram per cluster"
    for cluster, block in zip(clusters(profile), blocks, strict=True):
        assert block.startswith("flowchart LR\n")
        for service in DIAGRAM_SERVICES[cluster] + (DIAGRAM_DATABASE[cluster] if postgres else ()):
            assert service in block, f"{cluster}: {service}"
        for other in set(DIAGRAM_SERVICES) - {cluster}:
            assert not [s for s in DIAGRAM_SERVICES[other][1:] if s in block], f"{cluster} shows {other}"
        if cluster != "eks":
            assert not [s for s in AWS_ONLY if s in block], block
            # Labels are quoted: a parenthesis or comma inside an unquoted label breaks Mermaid.
            for line in block.splitlines()[1:]:
                assert line.count('"') % 2 == 0 and not re.search(r"\[[^\"(\[][^\]]*[(),]", line), line


def test_gke_and_aks_apps_explain_where_the_model_and_credentials_come_from(
    rendered: dict[str, Path],
) -> None:
    for profile in ("gcp-postgres", "azure-postgres-gpu", "multi-batch", "multi-long-lived"):
        app = rendered[profile] / "app"
        readme = (app / "README.md").read_text(encoding="utf-8")
        assert "Where the model lives on" in readme and "Bake it into the image" in readme
        assert "set MODEL_URI to its path" in (app / "Dockerfile").read_text(encoding="utf-8")
        if profile in POSTGRES_PROFILES:
            assert "| `DB_PASSWORD_FILE` |" in readme
    for profile in ("gcp-postgres", "azure-postgres-gpu"):
        readme = (rendered[profile] / "app" / "README.md").read_text(encoding="utf-8")
        assert "AWS credentials that can read the secret" not in readme
    assert "Where the model lives" not in (rendered["aws-default"] / "app" / "README.md").read_text()


def test_gke_and_aks_deploy_guides_name_the_kubernetes_secret_not_secrets_manager(
    rendered: dict[str, Path],
) -> None:
    for profile in ("gcp-postgres", "azure-postgres-gpu"):
        readme = (rendered[profile] / "README.md").read_text(encoding="utf-8")
        deploy = readme[readme.index("## Deploy") :]
        assert "Secrets Manager" not in deploy
        assert "-database` (key `password`, mounted as a file" in deploy
    assert "Terraform 1.11 or newer" in (rendered["azure-postgres-gpu"] / "README.md").read_text()
