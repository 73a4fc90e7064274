"""Provides the answers file (CONTRACT §1): a frozen, validated model, its loader and its writer.

Validation happens here, at the boundary; everything downstream receives an immutable `Answers`.
Every problem is reported as one line naming the file, the dotted key, the value found and what is allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Literal

from wizard.core import paths
from wizard.core.records import Record, RecordError, dump, field_specs, frozen, rule
from wizard.core.yamlio import dump_yaml, load_yaml, load_yaml_file
from wizard.errors import AnswersError

SCHEMA_VERSION = 1
MAX_FILE_BYTES = 1024 * 1024

NAME_PATTERN = re.compile(r"^[a-z](?:[a-z0-9-]{1,38}[a-z0-9])$")
_DNS_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")

TrafficPattern = Literal["steady", "spiky", "batch", "scheduled"]
Sensitivity = Literal["public", "internal", "confidential", "regulated"]
Compliance = Literal["hipaa", "gdpr", "pci_dss", "soc2", "fedramp"]
Cloud = Literal["aws", "gcp", "azure", "multi", "any"]
OpsExperience = Literal["none", "some", "dedicated"]
Database = Literal["none", "postgres"]
ModelHosting = Literal["container", "sagemaker"]
CiSystem = Literal["github_actions", "gitlab_ci", "circleci", "codepipeline"]
BlueprintChoice = Literal["auto", "app_runner", "ecs_fargate", "elastic_beanstalk", "kubernetes"]

DEFAULT_REGION = {
    "aws": "us-east-1",
    "any": "us-east-1",
    "multi": "us-east-1",
    "gcp": "us-central1",
    "azure": "eastus",
}
REGION_CLOUD = {"aws": "aws", "any": "aws", "multi": "aws", "gcp": "gcp", "azure": "azure"}


@cache
def region_table() -> dict[str, Any]:
    """Return `wizard/data/regions.yaml`: region ids per cloud and the multi-cloud nearest-region mapping."""
    data: dict[str, Any] = load_yaml_file(paths.data_file("regions.yaml"))
    return data


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Project(Record):
    """What the generated repository is called and what it is for."""

    name: str
    """3-40 chars: lowercase letters, digits and '-'; starts with a letter, no trailing '-'."""
    description: str = rule("", max_length=200)
    """Free text, any Unicode; escaped for every file it lands in."""

    @staticmethod
    def _check_name(value: str) -> str:
        if not NAME_PATTERN.fullmatch(value) or "--" in value:
            raise ValueError("name_shape")
        return value

    @staticmethod
    def _check_description(value: str) -> str:
        if "\x00" in value:
            raise ValueError("nul_char")
        return value


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Workload(Record):
    """How the model is called: traffic, latency, size, GPU, connection length."""

    peak_rps: int = rule(20, ge=0)
    traffic_pattern: TrafficPattern = "steady"
    latency_p95_ms: int = rule(500, gt=0)
    model_size_mb: int = rule(100, ge=0)
    gpu: bool = False
    long_lived_connections: bool = False


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Data(Record):
    """What data the service handles and which regimes apply."""

    sensitivity: Sensitivity = "internal"
    pii: bool = False
    compliance: tuple[Compliance, ...] = ()

    @staticmethod
    def _pre_compliance(value: Any) -> Any:
        if isinstance(value, list):
            if len(set(value)) != len(value):
                raise ValueError("duplicate_items")
            return tuple(value)
        return value


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Platform(Record):
    """Where it runs and who runs it."""

    cloud: Cloud = "aws"
    region: str = ""
    ops_experience: OpsExperience = "some"
    existing_kubernetes: bool = False
    existing_app_runner: bool = False

    @staticmethod
    def _before(value: dict[str, Any]) -> dict[str, Any]:
        if "region" not in value:
            cloud = value.get("cloud", "aws")
            if isinstance(cloud, str) and cloud in DEFAULT_REGION:
                return {**value, "region": DEFAULT_REGION[cloud]}
        return value

    def _after(self) -> Platform:
        platform = self if self.region else replace(self, region=DEFAULT_REGION[self.cloud])
        if platform.region not in region_table()[REGION_CLOUD[platform.cloud]]:
            raise ValueError("unknown_region")
        return platform


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Components(Record):
    """What the generated repository includes besides the model-serving service."""

    database: Database = "none"
    frontend: bool = False
    model_hosting: ModelHosting = "container"
    ci: CiSystem = "github_actions"
    domain: str = ""

    @staticmethod
    def _check_domain(value: str) -> str:
        if value and not is_dns_name(value):
            raise ValueError("dns_name")
        return value


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Budget(Record):
    """What the running system may cost."""

    monthly_usd: int = rule(500, gt=0)


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Answers(Record):
    """Every answer the wizard asks for (CONTRACT §1, schema 1)."""

    schema_: Literal[1] = rule(1, alias="schema")
    project: Project
    workload: Workload = Workload()
    data: Data = Data()
    platform: Platform = Platform(region=DEFAULT_REGION["aws"])
    components: Components = Components()
    budget: Budget = Budget()
    blueprint: BlueprintChoice = "auto"

    by_name: ClassVar[bool] = True
    model_config: ClassVar[dict[str, Any]] = {"extra": "forbid", "frozen": True, "strict": True}
    """The validation settings, in pydantic's terms (unknown keys are refused, nothing is coerced)."""

    def _after(self) -> Answers:
        cloud = self.platform.cloud
        if self.components.model_hosting == "sagemaker" and cloud not in ("aws", "any"):
            raise ValueError("contradiction_sagemaker")
        if self.components.ci == "codepipeline" and cloud not in ("aws", "any"):
            raise ValueError("contradiction_codepipeline")
        return self

    def values(self) -> dict[str, Any]:
        """Return the answers as nested plain data (the shape of the file), for conditions and templates."""
        data: dict[str, Any] = dump(self, by_alias=True)
        data["data"]["compliance"] = list(self.data.compliance)
        return data

    def with_changes(self, changes: dict[str, Any]) -> Answers:
        """Return new validated answers with dotted keys replaced (`{"workload.gpu": True}`)."""
        data = self.values()
        for dotted, value in changes.items():
            *parents, leaf = dotted.split(".")
            target = data
            for part in parents:
                target = target.setdefault(part, {})
            target[leaf] = value
        return parse_answers(data)


def is_dns_name(value: str) -> bool:
    """Return whether `value` is a lowercase fully qualified DNS name such as `api.example.com`."""
    if len(value) > 253 or value.endswith("."):
        return False
    labels = value.split(".")
    if len(labels) < 2 or not re.fullmatch(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}", labels[-1]):
        return False
    return all(_DNS_LABEL.fullmatch(label) for label in labels)


# --- error messages -------------------------------------------------------------------------------------

_ALLOWED_BY_ERROR = {
    "name_shape": "3-40 characters: lowercase letters, digits and '-', starting with a letter, "
    "no trailing or doubled '-' (for example churn-predictor)",
    "nul_char": "any text without NUL characters, at most 200 characters",
    "duplicate_items": "each item at most once",
    "dns_name": 'a lowercase DNS name such as api.example.com, or "" for none',
}


def _describe(value: Any) -> str:
    """Render a found value with its YAML type, short enough for one line."""
    kinds = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
        type(None): "empty",
    }
    kind = kinds.get(type(value), type(value).__name__)
    text = repr(value) if not isinstance(value, dict | list) else dump_yaml(value).strip().replace("\n", " ")
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({kind})" if value is not None else "nothing (an empty value)"


def _allowed(dotted: str, error_type: str, ctx: dict[str, Any]) -> str:
    from wizard.core.questions import allowed_text  # local: questions imports this module

    if error_type in ("value_error", "assertion_error"):
        code = str(ctx.get("error", ""))
        if code in _ALLOWED_BY_ERROR:
            return _ALLOWED_BY_ERROR[code]
    if error_type == "too_long" or error_type == "string_too_long":
        return f"at most {ctx.get('max_length')} characters"
    return allowed_text(dotted)


def _known_keys(model: type[Record]) -> list[str]:
    return [key for _name, key, *_rest in field_specs(model)]


def _model_at(loc: tuple[str | int, ...]) -> type[Record] | None:
    model: type[Record] = Answers
    for part in loc:
        if isinstance(part, int):
            return None
        kind = next((k for _n, key, k, *_rest in field_specs(model) if key == part), None)
        if not isinstance(kind, type) or not issubclass(kind, Record):
            return None
        model = kind
    return model


def _dotted(loc: tuple[str | int, ...]) -> str:
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts[-1] = f"{parts[-1]}[{part}]"
        else:
            parts.append(part)
    return ".".join(parts)


def _raw_value(raw: Any, loc: tuple[str | int, ...]) -> Any:
    current = raw
    for part in loc:
        try:
            current = current[part]
        except (KeyError, IndexError, TypeError):
            return None
    return current


def _problem_lines(exc: RecordError, raw: dict[str, Any], source: str) -> list[str]:
    lines: list[str] = []
    for problem in exc.problems:
        loc = problem.loc
        error_type = problem.type
        ctx = problem.ctx
        code = str(ctx.get("error", ""))
        if error_type == "extra_forbidden":
            import difflib  # only on this error path: keeps start-up light

            parent = loc[:-1]
            model = _model_at(parent)
            known = _known_keys(model) if model else []
            key = str(loc[-1])
            hint = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            where = _dotted(parent) or "the top level"
            suggestion = f"; did you mean {_dotted((*parent, hint[0]))}?" if hint else ""
            lines.append(
                f"{source}: {_dotted(loc)}: unknown key{suggestion} "
                f"(allowed keys at {where}: {', '.join(known)})"
            )
            continue
        if error_type == "missing":
            lines.append(
                f"{source}: {_dotted(loc)}: missing; it is required ({_allowed(_dotted(loc), error_type, ctx)})"
            )
            continue
        if error_type == "value_error" and code.startswith("contradiction_"):
            lines.append(f"{source}: {_contradiction_text(code, raw)}")
            continue
        if error_type == "value_error" and code == "unknown_region":
            cloud = _raw_value(raw, ("platform", "cloud")) or "aws"
            region = _raw_value(raw, ("platform", "region"))
            lines.append(
                f"{source}: platform.region: found {_describe(region)}, which is not a region of "
                f"platform.cloud {cloud}; allowed: a {REGION_CLOUD.get(cloud, 'aws')} region id such as "
                f"{DEFAULT_REGION.get(cloud, 'us-east-1')} (`wizard questions` lists them all)"
            )
            continue
        # Sequence item errors point into the list; report the item.
        dotted = _dotted(loc)
        base_key = re.sub(r"\[\d+\]$", "", dotted)
        found = _raw_value(raw, loc)
        lines.append(
            f"{source}: {dotted}: found {_describe(found)}; allowed: {_allowed(base_key, error_type, ctx)}"
        )
    return lines or [f"{source}: invalid answers"]


def _contradiction_text(code: str, raw: dict[str, Any]) -> str:
    cloud = _raw_value(raw, ("platform", "cloud"))
    if code == "contradiction_sagemaker":
        return (
            f"components.model_hosting: sagemaker contradicts platform.cloud: {cloud}; SageMaker is an AWS "
            "service, so use model_hosting: container or cloud: aws/any"
        )
    return (
        f"components.ci: codepipeline contradicts platform.cloud: {cloud}; CodePipeline is an AWS service, "
        "so choose github_actions, gitlab_ci or circleci, or cloud: aws/any"
    )


# --- loading and writing ------------------------------------------------------------------------------


def parse_answers(raw: Any, source: str = "answers") -> Answers:
    """Validate already-parsed YAML data into `Answers`, raising `AnswersError` with one line per problem."""
    if raw is None:
        raise AnswersError(
            [f"{source}: the file is empty; the smallest valid file is `project: {{name: demo}}`"]
        )
    if not isinstance(raw, dict):
        kind = "a list" if isinstance(raw, list) else _describe(raw)
        raise AnswersError(
            [
                f"{source}: the top level is {kind}; it must be a mapping of sections such as `project: {{name: demo}}`"
            ]
        )
    schema = raw.get("schema", SCHEMA_VERSION)
    if schema != SCHEMA_VERSION:
        if isinstance(schema, int) and not isinstance(schema, bool) and schema > SCHEMA_VERSION:
            raise AnswersError(
                [
                    f"{source}: schema: found {schema}; this deploy-wizard reads schema {SCHEMA_VERSION} only. "
                    "The file was written by a newer wizard: upgrade deploy-wizard to read it."
                ]
            )
        raise AnswersError([f"{source}: schema: found {_describe(schema)}; allowed: {SCHEMA_VERSION}"])
    try:
        return Answers.model_validate(raw)
    except RecordError as exc:
        raise AnswersError(_problem_lines(exc, raw, source)) from None


def read_answers_text(path: Path) -> str:
    """Read an answers file, refusing missing, huge, binary and non-UTF-8 files with a clear message."""
    source = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise AnswersError([f"{source}: no such file"]) from None
    except OSError as exc:
        raise AnswersError([f"{source}: cannot read: {exc.strerror}"]) from None
    if path.is_dir():
        raise AnswersError([f"{source}: is a directory; --answers takes a YAML file"])
    if size > MAX_FILE_BYTES:
        raise AnswersError(
            [f"{source}: the file is {size:,} bytes; an answers file may be at most 1 MiB (1,048,576 bytes)"]
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AnswersError([f"{source}: cannot read: {exc.strerror}"]) from None
    if b"\x00" in data:
        raise AnswersError(
            [f"{source}: looks like a binary file (it contains NUL bytes); expected a YAML text file"]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise AnswersError(
            [f"{source}: is not UTF-8 text (invalid byte at offset {exc.start}); save it as UTF-8"]
        ) from None


def load_answers_text(text: str, source: str = "answers") -> Answers:
    """Parse and validate answers from YAML text."""
    import yaml

    if not text.strip():
        raise AnswersError(
            [f"{source}: the file is empty; the smallest valid file is `project: {{name: demo}}`"]
        )
    try:
        raw = load_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise AnswersError([f"{source}: {where}YAML syntax error: {problem}"]) from None
    except yaml.YAMLError as exc:
        raise AnswersError([f"{source}: YAML syntax error: {exc}"]) from None
    return parse_answers(raw, source)


def load_answers(path: Path) -> Answers:
    """Read, parse and validate an answers file."""
    return load_answers_text(read_answers_text(path), str(path))


def dump_answers(answers: Answers, header: str = "") -> str:
    """Return the complete answers as YAML (every key, contract order), optionally after a comment header."""
    return header + dump_yaml(answers.values())
