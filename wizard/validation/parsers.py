"""Provides the parsers that turn each validator's output into findings (pure functions, no I/O but YAML)."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from wizard.validation.report import Finding
from wizard.validation.tools import ToolFailedError


def load_json(text: str, tool: str) -> Any:
    """Parse a tool's JSON output, skipping log lines before it; raise ToolFailedError if invalid."""
    starts = [i for i in (text.find("["), text.find("{")) if i >= 0]
    if not starts:
        raise ToolFailedError(f"{tool} printed no JSON:\n{text.strip()[-800:] or '(no output)'}")
    try:
        return json.loads(text[min(starts) :])
    except json.JSONDecodeError as exc:
        raise ToolFailedError(f"{tool} printed unparsable JSON ({exc}):\n{text.strip()[-800:]}") from exc


def _line(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _rel(path: str) -> str:
    """Normalise a tool-reported path to a relative POSIX path (`./a/b` and `/a/b` become `a/b`)."""
    cleaned = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    return cleaned[2:] if cleaned.startswith("./") else cleaned


# --- hadolint -------------------------------------------------------------------------------------


def parse_hadolint(stdout: str) -> list[Finding]:
    """Parse `hadolint --format json` output."""
    data = load_json(stdout, "hadolint")
    if not isinstance(data, list):
        raise ToolFailedError(f"hadolint printed unexpected JSON: {stdout[:300]}")
    return [
        Finding(
            "hadolint",
            _rel(str(item.get("file", ""))),
            _line(item.get("line")),
            item.get("code"),
            f"{item.get('message', '')} [{item.get('level', 'error')}]",
        )
        for item in data
        if isinstance(item, dict)
    ]


# --- actionlint -----------------------------------------------------------------------------------


def parse_actionlint(stdout: str) -> list[Finding]:
    """Parse `actionlint -format '{{json .}}'` output."""
    data = load_json(stdout, "actionlint") if stdout.strip() else []
    if not isinstance(data, list):
        raise ToolFailedError(f"actionlint printed unexpected JSON: {stdout[:300]}")
    return [
        Finding(
            "actionlint",
            _rel(str(item.get("filepath", ""))),
            _line(item.get("line")),
            item.get("kind"),
            str(item.get("message", "")),
        )
        for item in data
        if isinstance(item, dict)
    ]


# --- check-jsonschema -----------------------------------------------------------------------------

_PATH_TOKEN = re.compile(r"\.([^.\[]+)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\[\"((?:[^\"\\]|\\.)*)\"\]")


def yaml_line(text: str, json_path: str) -> int | None:
    """Return the 1-based line of the deepest YAML node `json_path` (`$.jobs.build.steps[0]`) reaches."""
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for match in _PATH_TOKEN.finditer(json_path.removeprefix("$")):
        key, index, quoted, dquoted = match.groups()
        child: yaml.Node | None = None
        child_line = line
        if isinstance(node, yaml.SequenceNode) and index is not None and int(index) < len(node.value):
            child = node.value[int(index)]
            child_line = child.start_mark.line + 1
        elif isinstance(node, yaml.MappingNode):
            raw = next(part for part in (key, quoted, dquoted, index) if part is not None)
            wanted = raw if key is not None else re.sub(r"\\(.)", r"\1", raw)
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.value == wanted:
                    child, child_line = value_node, key_node.start_mark.line + 1
                    break
        if child is None:
            break
        node, line = child, child_line
    return line


def parse_check_jsonschema(stdout: str, root: Path) -> list[Finding]:
    """Parse `check-jsonschema -o json` output, locating each error's line in its YAML file."""
    data = load_json(stdout, "check-jsonschema")
    if not isinstance(data, dict):
        raise ToolFailedError(f"check-jsonschema printed unexpected JSON: {stdout[:300]}")
    findings: list[Finding] = []
    texts: dict[str, str] = {}
    for error in data.get("errors") or []:
        file = _rel(str(error.get("filename", "")))
        if file not in texts:
            try:
                texts[file] = (root / file).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                texts[file] = ""
        path = str(error.get("path", "$"))
        best = error.get("best_deep_match") or error.get("best_match") or {}
        message = str(best.get("message") or error.get("message", ""))
        where = str(best.get("path") or path)
        findings.append(
            Finding("check-jsonschema", file, yaml_line(texts[file], where), "schema", f"{where}: {message}")
        )
    for error in data.get("parse_errors") or []:
        file = _rel(str(error.get("filename", "")))
        findings.append(Finding("check-jsonschema", file, None, "parse", str(error.get("message", ""))))
    return findings


# --- kubernetes-validate --------------------------------------------------------------------------

_KV_ERROR = re.compile(
    r"^ERROR \S+ did not validate for resource (?P<res>\S+) against version (?P<ver>\S+): "
    r"(?P<path>[^:]*): (?P<msg>.*)$"
)
_KV_OTHER_ERROR = re.compile(r"^ERROR \S+ (?P<msg>could not be validated: .*)$")
_KV_NO_SCHEMA = re.compile(
    r"^WARN \S+ Couldn't find schema for kind (?P<kind>\S+) with api version (?P<api>\S+) "
    r"for kubernetes version (?P<ver>\S+)"
)


def is_builtin_api(api_version: str) -> bool:
    """Whether an apiVersion belongs to Kubernetes itself (`v1`, `apps/v1`, `*.k8s.io/...`)."""
    if "/" not in api_version:
        return True
    group = api_version.split("/", 1)[0]
    return "." not in group or group.endswith(".k8s.io")


@dataclass(frozen=True)
class KubeValidateResult:
    """What kubernetes-validate said about one kustomize build."""

    findings: list[Finding]
    unchecked: list[str]
    unsupported_version: bool


def parse_kubernetes_validate(stdout: str, file: str) -> KubeValidateResult:
    """Parse kubernetes-validate's line output for the build of the kustomization `file`."""
    findings: list[Finding] = []
    unchecked: list[str] = []
    unsupported = False
    for raw in stdout.splitlines():
        line = raw.strip()
        if m := _KV_ERROR.match(line):
            where = f"{m['path']}: " if m["path"] else ""
            findings.append(
                Finding("kubernetes-validate", file, None, "schema", f"{m['res']}: {where}{m['msg']}")
            )
        elif m := _KV_NO_SCHEMA.match(line):
            if is_builtin_api(m["api"]):
                message = (
                    f"no schema for {m['kind']} {m['api']} in Kubernetes {m['ver']}: "
                    "misspelt kind or an API version that was removed"
                )
                findings.append(Finding("kubernetes-validate", file, None, "unknown-kind", message))
            else:
                unchecked.append(f"{m['kind']} ({m['api']})")
        elif line.startswith("FATAL") or "list index out of range" in line:
            unsupported = True
        elif m := _KV_OTHER_ERROR.match(line):
            findings.append(Finding("kubernetes-validate", file, None, None, m["msg"]))
    return KubeValidateResult(findings, sorted(set(unchecked)), unsupported)


# --- terraform ------------------------------------------------------------------------------------

_FMT_ERROR = re.compile(r"^Error: (?P<summary>.+?)\n\n\s+on (?P<file>\S+) line (?P<line>\d+)", re.MULTILINE)

# Init problems caused by this machine (no network, provider not mirrored), not by the configuration.
_ENV_SUMMARY = re.compile(
    r"(?i)failed to (query|install|download)|remote module registry|could not (retrieve|download)"
)
_ENV_DETAIL = re.compile(
    r"(?i)not found in any of the search locations|could not connect|no such host|dial tcp|i/o timeout"
    r"|no available releases match"
)
_PROVIDER = re.compile(r"provider (?:registry\.terraform\.io/)?([a-z0-9_-]+/[a-z0-9_-]+)", re.IGNORECASE)
_MODULE = re.compile(r'module "([^"]+)"')
_INIT_BANNER = "Terraform encountered problems during initialisation"


def parse_fmt(stdout: str, stderr: str, base: str) -> list[Finding]:
    """Parse `terraform fmt -check -list=true` output: every listed file and every syntax error."""
    findings = [
        Finding("terraform-fmt", _rel(posixpath.join(base, line.strip())), None, "fmt", "not formatted")
        for line in stdout.splitlines()
        if line.strip()
    ]
    findings.extend(
        Finding(
            "terraform-fmt",
            _rel(posixpath.join(base, m["file"])),
            int(m["line"]),
            "syntax",
            m["summary"],
        )
        for m in _FMT_ERROR.finditer(stderr)
    )
    return findings


def diagnostic_findings(diagnostics: Iterable[dict[str, Any]], tool: str, root_dir: str) -> list[Finding]:
    """Turn Terraform JSON diagnostics into findings; files are made relative to the repository root."""
    findings: list[Finding] = []
    for diag in diagnostics:
        summary = str(diag.get("summary", "")).strip()
        if not summary or summary.startswith(_INIT_BANNER):
            continue
        detail = " ".join(str(diag.get("detail", "")).split())
        message = f"{summary}: {detail}" if detail else summary
        if diag.get("severity") == "warning":
            message = f"warning: {message}"
        rng = diag.get("range") or {}
        filename = rng.get("filename")
        file = _rel(posixpath.join(root_dir, str(filename))) if filename else root_dir
        findings.append(Finding(tool, file, _line((rng.get("start") or {}).get("line")), None, message))
    return findings


@dataclass(frozen=True)
class InitResult:
    """What `terraform init -json` said: configuration findings and what this machine could not install."""

    findings: list[Finding]
    missing: list[str]
    reasons: list[str]


def is_environment_problem(diag: dict[str, Any]) -> bool:
    """Whether an init diagnostic comes from this machine (no network, unmirrored provider)."""
    summary, detail = str(diag.get("summary", "")), str(diag.get("detail", ""))
    return bool(_ENV_SUMMARY.search(summary) or _ENV_DETAIL.search(detail))


def parse_init(stdout: str, root_dir: str) -> InitResult:
    """Parse `terraform init -json` (one JSON object per line)."""
    config_errors: list[dict[str, Any]] = []
    missing: list[str] = []
    reasons: list[str] = []
    for raw in stdout.splitlines():
        try:
            message = json.loads(raw)
        except json.JSONDecodeError:
            continue
        diag = message.get("diagnostic") if isinstance(message, dict) else None
        if not isinstance(diag, dict) or diag.get("severity") != "error":
            continue
        if is_environment_problem(diag):
            detail = str(diag.get("detail", ""))
            names = [f"provider {p}" for p in _PROVIDER.findall(detail)]
            names += [f"module {m}" for m in _MODULE.findall(detail)] if not names else []
            missing.extend(names or [str(diag.get("summary", "?"))])
            reasons.append(" ".join(detail.split()))
        else:
            config_errors.append(diag)
    return InitResult(
        diagnostic_findings(config_errors, "terraform-validate", root_dir),
        sorted(set(missing)),
        reasons,
    )


def parse_validate(stdout: str, root_dir: str) -> list[Finding]:
    """Parse `terraform validate -json` output."""
    data = load_json(stdout, "terraform validate")
    if not isinstance(data, dict) or "diagnostics" not in data:
        raise ToolFailedError(f"terraform validate printed unexpected JSON: {stdout[:300]}")
    return diagnostic_findings(data["diagnostics"], "terraform-validate", root_dir)


# --- checkov --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckovResult:
    """Failed checks as findings, plus the checks suppressed inline (`checkov:skip=`)."""

    findings: list[Finding]
    skipped: list[str]


def parse_checkov(stdout: str) -> CheckovResult:
    """Parse `checkov -o json`: a list of per-framework reports, one report, or a bare summary."""
    data = load_json(stdout, "checkov")
    reports = data if isinstance(data, list) else [data]
    findings: list[Finding] = []
    skipped: list[str] = []
    for report in reports:
        if not isinstance(report, dict):
            raise ToolFailedError(f"checkov printed unexpected JSON: {stdout[:300]}")
        results = report.get("results")
        if not isinstance(results, dict):
            continue  # a bare summary: nothing was scanned
        for check in results.get("failed_checks") or []:
            line_range = check.get("file_line_range") or [None]
            resource = check.get("resource")
            name = str(check.get("check_name", ""))
            findings.append(
                Finding(
                    "checkov",
                    _rel(str(check.get("file_path", ""))),
                    _line(line_range[0]),
                    check.get("check_id"),
                    f"{name} ({resource})" if resource else name,
                )
            )
        skipped.extend(str(check.get("check_id")) for check in results.get("skipped_checks") or [])
        findings.extend(
            Finding("checkov", _rel(str(path)), None, "parsing_error", "checkov could not parse this file")
            for path in results.get("parsing_errors") or []
        )
    return CheckovResult(sorted(set(findings), key=Finding.sort_key), sorted(skipped))


# --- detect-secrets -------------------------------------------------------------------------------


def parse_detect_secrets(stdout: str) -> list[Finding]:
    """Parse `detect-secrets scan` output (the secrets themselves are never shown)."""
    data = load_json(stdout, "detect-secrets")
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, dict):
        raise ToolFailedError(f"detect-secrets printed unexpected JSON: {stdout[:300]}")
    return [
        Finding(
            "detect-secrets",
            _rel(str(secret.get("filename", file))),
            _line(secret.get("line_number")),
            str(secret.get("type", "secret")),
            f"possible secret ({secret.get('type', 'unknown type')})",
        )
        for file, secrets in results.items()
        for secret in secrets
    ]
