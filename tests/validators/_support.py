"""Provides the scaffolding the validator tests share: tool lookup, terraform and checkov runs, moto, skips.

Plain functions and one class, no fixtures: each test module keeps its own fixtures (their scope and order
matter) and builds them from these helpers. The helpers named `assert_*` hold assertions that several modules
make word for word; every one of them carries its own message, because pytest does not rewrite the asserts
of a helper module.
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
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, TypeVar

import pytest

from tests.conftest import MIRROR, MIRROR_CONFIG
from wizard.core.render import RenderedFile
from wizard.validation.tools import ToolMissingError, find_tool, in_ci, require

TIMEOUT = 300
# A skip's reason must be one a reviewer can accept, not "false positive".
MIN_REASON_CHARS = 40
ENVS = ("dev", "prod")

Key = TypeVar("Key", bound=Hashable)


# --- tools ------------------------------------------------------------------------------------------------


def missing(what: str) -> NoReturn:
    """Skip the test because `what` is not installed, or fail it in CI (`in_ci()`), where everything must run."""
    if in_ci():
        pytest.fail(f"{what}; in CI a missing validator is a failure")
    pytest.skip(what)


def require_tool(name: str) -> str:
    """Return the path of a validator binary (the product's lookup: the venv, then PATH), else `missing`."""
    try:
        return require(name)
    except ToolMissingError:
        missing(f"{name} is not installed")


def run(
    argv: Sequence[str], cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a tool to completion (at most TIMEOUT seconds) with no stdin and its output captured as text."""
    return subprocess.run(
        list(argv),
        cwd=cwd,
        env=None if env is None else dict(env),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        stdin=subprocess.DEVNULL,
    )


# --- rendering --------------------------------------------------------------------------------------------


def checkov_copy(root: Path) -> Path:
    """Return where `write_repo` puts the copy of a repository's Terraform that checkov scans."""
    return root.parent / f"{root.name}-checkov"


def write_repo(files: Iterable[RenderedFile], root: Path, copy_for_checkov: Sequence[str] = ()) -> Path:
    """Write rendered files under `root` and return it.

    `copy_for_checkov` names folders of `infra/` to copy next to the repository (`checkov_copy(root)`) before
    any `terraform init` adds `.terraform` folders to them.
    """
    for file in files:
        path = root / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(file.content, encoding="utf-8")
        if file.executable:
            path.chmod(0o755)
    for sub in copy_for_checkov:
        shutil.copytree(root / "infra" / sub, checkov_copy(root) / "infra" / sub)
    return root


def text(root: Path, path: str) -> str:
    """Return the text of `root / path`."""
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


# --- terraform --------------------------------------------------------------------------------------------


def tf_env() -> dict[str, str]:
    """Return the environment for terraform: non-interactive, no checkpoint calls, the default workspace.

    The provider mirror comes from TF_CLI_CONFIG_FILE, which tests/conftest.py points at /opt/tf-plugins
    when nothing else is configured.
    """
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"}
    env.pop("TF_WORKSPACE", None)
    return env


def write_mirror_config(folder: Path) -> Path | None:
    """Write a terraform CLI config that installs providers from MIRROR only; None when there is no mirror."""
    if not MIRROR.is_dir():
        return None
    config = folder / "terraformrc"
    config.write_text(MIRROR_CONFIG, encoding="utf-8")
    return config


def assert_fmt_clean(infra: Path, dirs: Sequence[str] = (), env: Mapping[str, str] | None = None) -> None:
    """Assert that `terraform fmt -check -recursive` over `dirs` of `infra` (all of it by default) changes nothing."""
    terraform = require_tool("terraform")
    done = run([terraform, "fmt", "-check", "-recursive", "-diff", "-no-color", *dirs], infra, env)
    assert done.returncode == 0, f"terraform fmt would change files:\n{done.stdout}{done.stderr}"


def environment_roots(profiles: Iterable[str]) -> list[tuple[str, str]]:
    """Return (profile, root) for environments/dev and environments/prod of every profile."""
    return [(profile, f"environments/{env}") for profile in profiles for env in ENVS]


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


def terraform_init(
    terraform: str, directory: Path, env: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    """Run `terraform init -backend=false` in one root."""
    return run([terraform, "init", "-backend=false", "-input=false", "-no-color"], directory, env)


def validate_problems(terraform: str, directory: Path, env: Mapping[str, str]) -> list[str]:
    """Run `terraform validate` in an initialised root; return every diagnostic (warnings too), or stderr when
    terraform calls the root invalid without saying why."""
    done = run([terraform, "validate", "-json", "-no-color"], directory, env)
    report = json.loads(done.stdout)
    problems = [
        f"{d['severity']}: {d['summary']}: {d.get('detail', '')} ({d.get('range', {}).get('filename', '?')})"
        for d in report.get("diagnostics", [])
    ]
    return problems if report["valid"] or problems else [done.stderr]


def validate_roots(
    terraform: str, targets: Mapping[Key, Path], env: Mapping[str, str]
) -> dict[Key, list[str]]:
    """`terraform init` once per distinct layout, then `validate` every root; returns key -> problems.

    The first root of a layout is initialised, the others get a copy of its `.terraform` folder and lock file;
    two terraform processes run at a time.
    """
    groups: dict[str, list[Key]] = {}
    for key, directory in targets.items():
        groups.setdefault(layout(directory), []).append(key)
    results: dict[Key, list[str]] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        leaders = {name: members[0] for name, members in groups.items()}
        inits = dict(
            zip(
                leaders,
                pool.map(lambda key: terraform_init(terraform, targets[key], env), leaders.values()),
                strict=True,
            )
        )
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
        problems = pool.map(lambda key: validate_problems(terraform, targets[key], env), todo)
        results.update(zip(todo, problems, strict=True))
    return results


# --- terraform plan against moto --------------------------------------------------------------------------


@contextmanager
def moto_server() -> Iterator[str]:
    """Run moto's server (a local fake of the AWS APIs) on a free local port; yields its URL."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:  # moto[server] (with flask) is a test dependency
        missing(f"moto[server] is not installed ({exc})")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def fake_aws_env(env: Mapping[str, str], endpoint: str) -> dict[str, str]:
    """Return `env` pointed at the fake AWS endpoint with dummy credentials and no profile of the caller."""
    fake = {
        **env,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_PROFILE"):
        fake.pop(name, None)
    return fake


def create_zones(endpoint: str, tfvars: Iterable[str]) -> None:
    """Create the Route 53 zones (`zone_name = "..."`) that the roots look up (moto starts empty)."""
    import boto3

    route53 = boto3.client(
        "route53",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    existing = {zone["Name"].rstrip(".") for zone in route53.list_hosted_zones()["HostedZones"]}
    for values in tfvars:
        for zone in re.findall(r'^zone_name\s*=\s*"([^"]+)"', values, flags=re.M):
            if zone not in existing:
                route53.create_hosted_zone(Name=zone, CallerReference=zone)
                existing.add(zone)


def terraform_plan(
    terraform: str, directory: Path, env: Mapping[str, str], placeholders: Mapping[str, str]
) -> subprocess.CompletedProcess[str]:
    """`terraform init` + `plan` of one root with a local backend instead of S3; returns the failed init or the plan.

    `placeholders` maps a variable to the HCL value it gets when terraform.tfvars leaves it empty (`name = ""`),
    values that the answers left to the user.
    """
    (directory / "local_backend_override.tf").write_text(
        'terraform {\n  backend "local" {}\n}\n', encoding="utf-8"
    )
    tfvars_file = directory / "terraform.tfvars"
    tfvars = tfvars_file.read_text(encoding="utf-8") if tfvars_file.is_file() else ""
    filled = [
        f"{name} = {value}\n"
        for name, value in placeholders.items()
        if re.search(rf'^{name}\s*=\s*""', tfvars, flags=re.M)
    ]
    (directory / "placeholders.auto.tfvars").write_text("".join(filled), encoding="utf-8")
    init = run([terraform, "init", "-input=false", "-no-color"], directory, env)
    if init.returncode != 0:
        return init
    return run(
        [terraform, "plan", "-input=false", "-no-color", "-refresh=false", "-lock=false"], directory, env
    )


# --- checkov ----------------------------------------------------------------------------------------------


def checkov_env() -> dict[str, str]:
    """Return the environment for checkov: no call to the Bridgecrew platform for its check mapping."""
    return {**os.environ, "BC_SKIP_MAPPING": "TRUE"}


def checkov_argv(checkov: str, target: Path) -> list[str]:
    """Return the checkov command that scans the Terraform under `target` and prints a JSON report."""
    return [checkov, "-d", str(target), "--quiet", "--compact", "--skip-download", "--framework", "terraform",
            "-o", "json"]  # fmt: skip


class Scans:
    """checkov over several targets, at most two at a time, started in the background (so it runs while
    terraform validates); `stop()` ends what nobody asked for. Reports go to files, never to a full pipe."""

    def __init__(self, checkov: str, targets: Mapping[str, Path]) -> None:
        self.checkov, self.targets = checkov, dict(targets)
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._start_all, daemon=True)
        self.thread.start()

    def _report(self, name: str, stream: str) -> Path:
        return self.targets[name].parent / f"{self.targets[name].name}.{stream}"

    def _start_all(self) -> None:
        for name, target in self.targets.items():
            while sum(p.poll() is None for p in self.processes.values()) >= 2 and not self.stopping.is_set():
                time.sleep(0.2)
            if self.stopping.is_set():
                return
            with self._report(name, "out").open("wb") as out, self._report(name, "err").open("wb") as err:
                self.processes[name] = subprocess.Popen(
                    checkov_argv(self.checkov, target), cwd=target, env=checkov_env(), stdout=out, stderr=err,
                    stdin=subprocess.DEVNULL,
                )  # fmt: skip

    def result(self, name: str) -> subprocess.CompletedProcess[str]:
        """Wait (at most TIMEOUT seconds) for the scan of one target and return its outcome."""
        while name not in self.processes and self.thread.is_alive():
            self.thread.join(timeout=0.2)
        process = self.processes[name]
        process.wait(timeout=TIMEOUT)
        return subprocess.CompletedProcess(
            process.args,
            process.returncode,
            self._report(name, "out").read_text(encoding="utf-8"),
            self._report(name, "err").read_text(encoding="utf-8"),
        )

    def stop(self) -> None:
        """Start no more scans and kill the ones still running."""
        self.stopping.set()
        self.thread.join()
        for process in self.processes.values():
            if process.poll() is None:
                process.kill()
                process.wait()


@contextmanager
def background_checkov(targets: Mapping[str, Path]) -> Iterator[Scans | None]:
    """Scan `targets` (name -> folder) in the background until the block ends; None when checkov is missing
    (the tests that read the scans then call `require_tool("checkov")`)."""
    checkov = find_tool("checkov")
    if not checkov:
        yield None
        return
    scans = Scans(checkov, targets)
    try:
        yield scans
    finally:
        scans.stop()


def assert_checkov_clean(done: subprocess.CompletedProcess[str]) -> None:
    """Assert that a checkov run (`checkov_argv`) parsed some Terraform without errors and failed no check."""
    assert done.returncode in (0, 1), f"checkov crashed:\n{done.stderr[-3000:]}"
    data = json.loads(done.stdout)
    reports = data if isinstance(data, list) else [data]
    summaries = [r["summary"] for r in reports if r.get("check_type") == "terraform"]
    assert summaries, f"checkov found no Terraform to scan: {done.stdout[:500]}"
    assert all(s["parsing_errors"] == 0 for s in summaries), (
        f"checkov could not parse everything: {summaries}"
    )
    failed = [
        f"{c['check_id']} {c['resource']} ({c['file_path']}:{c['file_line_range']})"
        for r in reports
        for c in r.get("results", {}).get("failed_checks", [])
    ]
    assert not failed, "checkov failed checks:\n" + "\n".join(failed)


def terraform_files(infra: Path, subdirs: Iterable[str]) -> list[Path]:
    """Return the `.tf` files under `subdirs` of `infra`, sorted per folder, without terraform's `.terraform`."""
    return [
        path
        for sub in subdirs
        for path in sorted((infra / sub).rglob("*.tf"))
        if ".terraform" not in path.relative_to(infra).parts
    ]


SKIP_COMMENT = re.compile(r"#\s*checkov:skip=([A-Z0-9_]+)\s*(?::\s*(.*))?$", re.M)


def inline_skips(base: Path, files: Iterable[Path]) -> list[tuple[str, str, str]]:
    """Return (file relative to `base`, check id, reason) for every `# checkov:skip=` comment in `files`."""
    return [
        (path.relative_to(base).as_posix(), check, (reason or "").strip())
        for path in files
        for check, reason in SKIP_COMMENT.findall(path.read_text(encoding="utf-8"))
    ]


def assert_skips_justified(skips: Sequence[tuple[str, str, str]], readme: str, limit: int) -> None:
    """Assert at most `limit` inline skips, each with a real reason and explained in the README text."""
    assert len(skips) <= limit, f"{len(skips)} skips (at most {limit}): {skips}"
    for file, check, reason in skips:
        assert len(reason) >= MIN_REASON_CHARS, f"{file}: the reason for skipping {check} is too short"
        assert check in readme, f"{file}: {check} is skipped but not explained in infra/README.md"


# --- other scanners ---------------------------------------------------------------------------------------


def assert_dockerfile_and_secrets_clean(root: Path) -> None:
    """Assert that hadolint passes the image's Dockerfile and detect-secrets finds nothing in the checkov copy
    of the Terraform (ARNs of secrets are not secrets)."""
    hadolint = require_tool("hadolint")
    done = run([hadolint, "Dockerfile"], root / "app")
    assert done.returncode == 0, f"hadolint:\n{done.stdout}{done.stderr}"
    detect = require_tool("detect-secrets")
    done = run([detect, "scan", "--all-files", "."], checkov_copy(root))
    assert done.returncode == 0, f"detect-secrets crashed:\n{done.stderr}"
    findings = {
        path: [f["line_number"] for f in found] for path, found in json.loads(done.stdout)["results"].items()
    }
    assert not findings, f"detect-secrets: {findings}"
