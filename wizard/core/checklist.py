"""Provides the tailored security checklist: the catalogue (`wizard/data/checklist.yaml`), the engine and outputs.

Each catalogue item applies under a condition over the answers, the blueprint id and the derived posture (the
condition language of `wizard.core.conditions`, the values of `wizard.core.render.condition_values`). An item is
*automated* for a blueprint when the catalogue names the generated files and settings that implement it (the
evidence) and the checkov checks that pass on them; the tests in `tests/checklist/` render those files and prove
every claim. Everything else is *manual*: a person must act ("your action").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from wizard.core import paths
from wizard.core.answers import Answers
from wizard.core.blueprints import load_blueprints
from wizard.core.cache import cached
from wizard.core.conditions import ConditionError, lookup, matches
from wizard.core.escaping import FILTERS
from wizard.core.records import Record, RecordError, dump, frozen, rule
from wizard.core.render import condition_values
from wizard.core.yamlio import load_yaml_file
from wizard.errors import WizardError

SCHEMA_VERSION = 1
CATALOGUE_FILE = "checklist.yaml"
TEMPLATE = "common/SECURITY_CHECKLIST.md.j2"

Severity = Literal["critical", "high", "medium", "low"]
Category = Literal[
    "identity",
    "network",
    "data",
    "logging",
    "compute",
    "supply-chain",
    "ci-cd",
    "governance",
    "compliance",
    "ml",
]
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low")
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]
BLUEPRINT_IDS = ("app_runner", "ecs_fargate", "elastic_beanstalk", "kubernetes")
ALL_BLUEPRINTS = "all"
"""Key of `automated_by` for evidence that holds for every blueprint (the app and its Dockerfile)."""

# Answers a user typed freely: a triggered-by line says they are set, never what they hold.
_FREE_TEXT = frozenset({"project.name", "project.description", "components.domain"})
_WA_ID = re.compile(r"^(SEC|REL|OPS|COST)\d{2}-BP\d{2}$")
_ML_LENS_ID = re.compile(r"^MLSEC-\d{2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CHECKOV_ID = re.compile(r"^CKV2?_[A-Z0-9]+_\d+$")
_CIS_ID = re.compile(r"^\d+(\.\d+){1,2}$")
REGULATION_PREFIXES = ("HIPAA ", "GDPR ", "PCI DSS ", "SOC 2 ", "FedRAMP ", "NIST ")
ML_LENS_FRAMEWORK = "ml-lens-2023"


class ChecklistDataError(WizardError):
    """The checklist catalogue is malformed (a packaging bug), reported with the item id."""


# --- the catalogue ------------------------------------------------------------------------------------


class _Frozen(Record):
    """Base of the catalogue records: unknown keys are refused; YAML's lists are taken for tuples (lax)."""

    __slots__ = ()
    strict = False


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class WellArchitectedRef(_Frozen):
    """A Well-Architected best practice with the framework version its id belongs to (ids are renumbered)."""

    id: str
    framework: str
    """`2024-06-27` (Security Pillar revision) or `ml-lens-2023` (Machine Learning Lens, MLSEC-xx ids)."""

    def _after(self) -> WellArchitectedRef:
        if _WA_ID.fullmatch(self.id):
            if not _DATE.fullmatch(self.framework):
                raise ValueError(f"{self.id}: framework must be the pillar's revision date (YYYY-MM-DD)")
        elif _ML_LENS_ID.fullmatch(self.id):
            if self.framework != ML_LENS_FRAMEWORK:
                raise ValueError(f"{self.id}: framework must be {ML_LENS_FRAMEWORK!r}")
        else:
            raise ValueError(f"{self.id!r} is not a Well-Architected id (SEC01-BP02, MLSEC-12)")
        return self

    def label(self) -> str:
        """Return `SEC01-BP02 (2024-06-27)`."""
        return f"{self.id} ({self.framework})"


def _checkov_ids(value: tuple[str, ...]) -> tuple[str, ...]:
    bad = [v for v in value if not _CHECKOV_ID.fullmatch(v)]
    if bad:
        raise ValueError(f"not checkov ids: {bad}")
    return value


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class References(_Frozen):
    """Where an item comes from: Well-Architected, CIS AWS Foundations, checkov, regulations, other sources."""

    well_architected: tuple[WellArchitectedRef, ...] = ()
    cis: tuple[str, ...] = ()
    """CIS AWS Foundations Benchmark control ids (the version is the catalogue's `frameworks.cis_aws`)."""
    checkov: tuple[str, ...] = ()
    """Related checkov checks (the ones proven to pass are listed under `automated_by`)."""
    regulations: tuple[str, ...] = ()
    """Article or requirement, prefixed with the regime: `HIPAA 45 CFR 164.312(b)`, `GDPR Art. 35`."""
    other: tuple[str, ...] = ()

    @staticmethod
    def _check_cis(value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in value if not _CIS_ID.fullmatch(v)]
        if bad:
            raise ValueError(f"not CIS control ids: {bad}")
        return value

    _check_checkov = staticmethod(_checkov_ids)

    @staticmethod
    def _check_regulations(value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in value if not v.startswith(REGULATION_PREFIXES)]
        if bad:
            raise ValueError(f"regulation references must start with one of {REGULATION_PREFIXES}: {bad}")
        return value

    def to_json(self) -> dict[str, Any]:
        """Return the references as plain data, empty kinds left out."""
        data: dict[str, Any] = {}
        if self.well_architected:
            data["well_architected"] = [{"id": r.id, "framework": r.framework} for r in self.well_architected]
        for key in ("cis", "checkov", "regulations", "other"):
            values = getattr(self, key)
            if values:
                data[key] = list(values)
        return data


_EVIDENCE_KINDS = (
    "resource",
    "data_source",
    "module",
    "variable",
    "hcl_attribute",
    "instruction",
    "line",
    "yaml_path",
    "test",
)
_HCL_BLOCK_KINDS = ("resource", "data_source", "module", "variable")


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence(_Frozen):
    """One machine-checkable fact about the generated files that implements (part of) an item.

    Exactly one kind: `resource`, `data_source`, `module` or `variable` (an HCL block and an `attribute` in it),
    `hcl_attribute` (a top-level attribute of an HCL file such as `backend.hcl`), `instruction` (Dockerfile),
    `line` (an exact line of a text file such as `.dockerignore`), `yaml_path` (YAML) or `test` (a test of the
    generated app that must pass).
    """

    file: str
    """Path in the generated repository."""
    resource: str | None = None
    """HCL resource type (`aws_ecr_repository`); every such resource in the file (or the one named) must comply."""
    data_source: str | None = None
    """HCL data source type (`aws_iam_policy_document`), like `resource`."""
    module: str | None = None
    """HCL module block name in the file."""
    variable: str | None = None
    """HCL variable block name; the attribute is usually `default`."""
    hcl_attribute: str | None = None
    """A top-level attribute of an HCL file (`use_lockfile` in `backend.hcl`)."""
    name: str | None = None
    """For `resource`/`data_source`: only the block with this name (`aws_lb_listener` `https`)."""
    attribute: str | None = None
    """Dotted path inside the block; nested blocks are followed (`image_scanning_configuration.scan_on_push`),
    and `block[key=value]` picks the repeated blocks whose `key` equals `value` (`parameter[name=rds.force_ssl]`)."""
    equals: Any = None
    equals_value: str | None = None
    """A dotted key of the condition values (`posture.log_retention_days`) whose value the attribute equals."""
    contains: str | None = None
    """The attribute (a list, or a string such as a `jsonencode(...)` expression) contains this item or text."""
    absent: bool = False
    """The attribute must not be set (`aws_default_security_group` without `ingress`)."""
    instruction: str | None = None
    """Dockerfile instruction (`USER`, `HEALTHCHECK`, `FROM`); every occurrence's arguments match `matches`."""
    matches: str | None = None
    line: str | None = None
    yaml_path: str | None = None
    test: str | None = None
    """Name of a test function in `file` (a test of the generated app, run with pytest inside `app/`)."""
    when: dict[str, Any] | None = None
    """Only for answers where this condition holds (e.g. evidence about the NAT-free network)."""

    def _after(self) -> Evidence:
        kinds = [k for k in _EVIDENCE_KINDS if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError(f"evidence for {self.file} needs exactly one kind, found {kinds or 'none'}")
        if kinds[0] in _HCL_BLOCK_KINDS and not self.attribute:
            raise ValueError(f"evidence for {self.file}: {kinds[0]} needs an attribute")
        if self.name is not None and kinds[0] not in ("resource", "data_source"):
            raise ValueError(f"evidence for {self.file}: name only filters resources and data sources")
        expectations = [
            self.equals is not None,
            self.equals_value is not None,
            self.contains is not None,
            self.absent,
        ]
        if sum(expectations) > 1:
            raise ValueError(
                f"evidence for {self.file}: at most one of equals, equals_value, contains, absent"
            )
        if kinds[0] == "instruction" and not self.matches:
            raise ValueError(f"evidence for {self.file}: instruction needs a `matches` regex")
        if self.matches is not None:
            try:
                re.compile(self.matches)
            except re.error as exc:
                raise ValueError(f"evidence for {self.file}: matches is not a valid regex: {exc}") from None
        return self

    @property
    def kind(self) -> str:
        """Return the evidence kind (one of resource, data_source, module, variable, instruction, ...)."""
        return next(k for k in _EVIDENCE_KINDS if getattr(self, k) is not None)

    def expected(self, values: Mapping[str, Any]) -> Any:
        """Return the value the attribute must equal, resolving `equals_value` against the condition values."""
        if self.equals_value is not None:
            return lookup(values, self.equals_value)
        return self.equals

    def block_label(self) -> str:
        """Return the HCL block this evidence looks at: `aws_lb_listener.https`, `module stack`, ..."""
        if self.resource is not None:
            return f"{self.resource}.{self.name}" if self.name else self.resource
        if self.data_source is not None:
            return f"data.{self.data_source}.{self.name}" if self.name else f"data.{self.data_source}"
        if self.module is not None:
            return f"module {self.module}"
        return f"variable {self.variable}"

    def describe(self, values: Mapping[str, Any]) -> str:
        """Return one line for people: `infra/...tf: aws_ecr_repository image_tag_mutability = IMMUTABLE`."""
        kind = self.kind
        if kind == "hcl_attribute":
            return f"{self.file}: {self.hcl_attribute} = {_show(self.expected(values))}"
        if kind in _HCL_BLOCK_KINDS:
            if self.contains is not None:
                setting = f"{self.attribute} contains {self.contains}"
            elif self.absent:
                setting = f"no {self.attribute}"
            elif self.equals is None and self.equals_value is None:
                setting = f"{self.attribute} is set"
            else:
                setting = f"{self.attribute} = {_show(self.expected(values))}"
            return f"{self.file}: {self.block_label()} {setting}"
        if kind == "instruction":
            return f"{self.file}: {self.instruction} matching /{self.matches}/"
        if kind == "line":
            return f"{self.file}: line {self.line}"
        if kind == "yaml_path":
            return f"{self.file}: {self.yaml_path} = {_show(self.expected(values))}"
        return f"{self.file}: test {self.test} passes"

    def to_json(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Return the evidence as plain data with `equals_value` resolved."""
        data: dict[str, Any] = {"file": self.file}
        for key in (*_EVIDENCE_KINDS, "name", "attribute", "matches", "contains"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        if self.absent:
            data["absent"] = True
        elif self.equals is not None or self.equals_value is not None:
            data["equals"] = self.expected(values)
        return data


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Automation(_Frozen):
    """How the generated files of one blueprint implement an item."""

    summary: str
    """One sentence: what the generated code does."""
    evidence: tuple[Evidence, ...] = rule(min_length=1)
    checkov: tuple[str, ...] = ()
    """Checkov checks that pass on the evidence files (proven by tests/checklist)."""

    _check_checkov = staticmethod(_checkov_ids)


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Escalation(_Frozen):
    """Raise the severity when a condition holds."""

    when: dict[str, Any]
    to: Severity


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class CatalogueItem(_Frozen):
    """One entry of `wizard/data/checklist.yaml`."""

    id: str = rule(pattern=r"^[A-Z0-9]+-\d{2}$")
    title: str = rule(min_length=10)
    why: str = rule(min_length=40)
    """The risk in plain words, for learners."""
    severity: Severity
    category: Category
    when: dict[str, Any] | None = None
    """The condition under which the item applies; absent = every project."""
    aws_only: bool = False
    """Applies only when the answers put the system on AWS (`platform.cloud` aws, any or multi)."""
    escalate: tuple[Escalation, ...] = ()
    references: References
    your_action: str = rule(min_length=20)
    """What a person must do when the item is not automated for the blueprint."""
    automated_by: dict[str, Automation] = field(default_factory=dict)
    """Per blueprint id (or `all`): the generated files and settings that implement the item."""
    planned: tuple[str, ...] = ()
    """Blueprints whose templates will automate the item once they land (shown next to the manual action)."""

    @staticmethod
    def _check_automated_by(value: dict[str, Automation]) -> dict[str, Automation]:
        unknown = [k for k in value if k not in (*BLUEPRINT_IDS, ALL_BLUEPRINTS)]
        if unknown:
            raise ValueError(f"automated_by names unknown blueprints {unknown}")
        return value

    @staticmethod
    def _check_planned(value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [k for k in value if k not in BLUEPRINT_IDS]
        if unknown:
            raise ValueError(f"planned names unknown blueprints {unknown}")
        return value

    def _after(self) -> CatalogueItem:
        refs = self.references
        if not (refs.well_architected or refs.cis or refs.checkov or refs.regulations or refs.other):
            raise ValueError("needs at least one reference")
        return self

    def automation_for(self, blueprint_id: str) -> Automation | None:
        """Return how the blueprint's generated files implement the item, or None (manual)."""
        return self.automated_by.get(blueprint_id) or self.automated_by.get(ALL_BLUEPRINTS)


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Frameworks(_Frozen):
    """Versions of the frameworks the references use."""

    well_architected: str
    ml_lens: str
    cis_aws: str
    checkov: str


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Catalogue(_Frozen):
    """The whole checklist catalogue."""

    schema_: Literal[1] = rule(alias="schema")
    frameworks: Frameworks
    shared: dict[str, Any] = field(default_factory=dict)
    """Conditions used by several items, defined once as YAML anchors (`&nonpublic`) and referenced (`*nonpublic`)."""
    items: tuple[CatalogueItem, ...]

    def _after(self) -> Catalogue:
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise ValueError(f"item id {item.id} appears twice")
            seen.add(item.id)
        return self


@cache
def load_catalogue() -> Catalogue:
    """Return the validated catalogue from `wizard/data/checklist.yaml`."""
    path = paths.data_file(CATALOGUE_FILE)
    return cached("records", [path], lambda: _validated_catalogue(path))


def _validated_catalogue(path: Path) -> Catalogue:
    raw = load_yaml_file(path)
    try:
        return Catalogue.model_validate(raw)
    except RecordError as exc:
        first = exc.problems[0]
        loc = first.loc
        where = ".".join(str(p) for p in loc)
        item_id = ""
        if len(loc) > 1 and loc[0] == "items" and isinstance(loc[1], int):
            entry = raw["items"][loc[1]]
            item_id = f" (item {entry.get('id', '?') if isinstance(entry, dict) else '?'})"
        raise ChecklistDataError(f"{path}: {where}{item_id}: {first.msg}") from None


# --- explaining why an item applies -------------------------------------------------------------------

_POSTURE_SOURCES: dict[str, tuple[str, ...]] = {
    "posture.sensitive": ("data.sensitivity", "data.pii"),
    "posture.regulated": ("data.sensitivity", "data.compliance"),
    "posture.waf": ("data.sensitivity", "data.compliance"),
    "posture.egress": ("data.sensitivity", "data.compliance"),
    "posture.log_retention_days": ("data.compliance", "data.pii", "data.sensitivity"),
    "posture.data_capture": ("data.sensitivity", "data.pii"),
    "posture.public_api": ("workload.peak_rps", "workload.traffic_pattern"),
}


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if value is None:
        return "null"
    return str(value)


def _clause(key: str, matcher: Any, values: Mapping[str, Any]) -> str:
    actual = lookup(values, key)
    if key in _FREE_TEXT:
        text = f"{key} is set" if actual else f"{key} is empty"
    elif isinstance(matcher, Mapping) and "contains" in matcher:
        text = f"{key} contains {_show(matcher['contains'])}"
    elif isinstance(matcher, Mapping) and "not_contains" in matcher:
        text = f"{key} does not contain {_show(matcher['not_contains'])}"
    elif isinstance(matcher, Mapping) and any(op in matcher for op in ("gt", "gte", "lt", "lte")):
        ops = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
        bounds = ", ".join(f"{ops[op]} {_show(v)}" for op, v in matcher.items() if op in ops)
        text = f"{key} = {_show(actual)} ({bounds})"
    else:
        text = f"{key} = {_show(actual)}"
    if key in _POSTURE_SOURCES:
        sources = ", ".join(f"{k} = {_show(lookup(values, k))}" for k in _POSTURE_SOURCES[key])
        text = f"{text} (from {sources})"
    return text


def explain(condition: Mapping[str, Any] | None, values: Mapping[str, Any]) -> list[str]:
    """Return the clauses of a condition that hold for the values, one readable line each.

    `{data.compliance: {contains: hipaa}}` gives `data.compliance contains hipaa`; for `any`, the alternatives
    that hold; for `not`, the negated clauses (`not: data.sensitivity = public`).
    """
    if not condition:
        return []
    lines: list[str] = []
    for key, matcher in condition.items():
        if key == "any":
            for sub in matcher:
                if matches(sub, values):
                    lines.extend(explain(sub, values))
        elif key == "not":
            negated = [_negated(k, m) for k, m in matcher.items() if k not in ("any", "not")]
            lines.extend(negated or ["not (a combination of answers)"])
        else:
            lines.append(_clause(key, matcher, values))
    return list(dict.fromkeys(lines))


def _negated(key: str, matcher: Any) -> str:
    if isinstance(matcher, Mapping):
        parts = [f"{op} {_show(v)}" for op, v in matcher.items()]
        return f"not {key} {' '.join(parts)}"
    if isinstance(matcher, list):
        return f"{key} not in {_show(matcher)}"
    return f"{key} != {_show(matcher)}"


# --- the checklist for one project ----------------------------------------------------------------------

_AWS_CLOUDS = ("aws", "any", "multi")


@dataclass(frozen=True)
class ChecklistItem:
    """One item of a tailored checklist."""

    id: str
    title: str
    why: str
    severity: Severity
    category: str
    status: Literal["automated", "manual"]
    triggered_by: tuple[str, ...]
    references: References
    your_action: str | None = None
    note: str | None = None
    """For manual items: which blueprints will automate it later."""
    summary: str | None = None
    """For automated items: what the generated code does."""
    evidence: tuple[Evidence, ...] = ()
    checkov: tuple[str, ...] = ()
    evidence_lines: tuple[str, ...] = ()
    """The evidence, one readable line each."""
    evidence_data: tuple[dict[str, Any], ...] = ()

    @property
    def automated(self) -> bool:
        """Return whether the generated files implement the item."""
        return self.status == "automated"

    def reference_lines(self) -> list[str]:
        """Return the references as short labels for Markdown."""
        refs = self.references
        out: list[str] = []
        if refs.well_architected:
            out.append("Well-Architected " + ", ".join(r.label() for r in refs.well_architected))
        if refs.cis:
            out.append("CIS AWS Foundations v3.0.0 " + ", ".join(refs.cis))
        out.extend(refs.regulations)
        if refs.checkov:
            out.append("checkov " + ", ".join(refs.checkov))
        out.extend(refs.other)
        return out

    def to_json(self) -> dict[str, Any]:
        """Return the item as plain data (the JSON output's `items[]`)."""
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "why": self.why,
            "severity": self.severity,
            "category": self.category,
            "status": self.status,
        }
        if self.automated:
            data["summary"] = self.summary
            data["evidence"] = list(self.evidence_data)
            data["checkov"] = list(self.checkov)
        else:
            data["your_action"] = self.your_action
            if self.note:
                data["note"] = self.note
        data["references"] = self.references.to_json()
        data["triggered_by"] = list(self.triggered_by)
        return data


@dataclass(frozen=True)
class SeverityGroup:
    """The items of one severity, for the Markdown layout."""

    severity: str
    items: tuple[ChecklistItem, ...]

    @property
    def automated(self) -> int:
        """Return how many items of this severity the generated files implement."""
        return sum(1 for i in self.items if i.automated)

    @property
    def manual(self) -> int:
        """Return how many items of this severity need a person."""
        return len(self.items) - self.automated


@dataclass(frozen=True)
class Checklist:
    """The tailored checklist for one set of answers and one blueprint."""

    project: str
    blueprint: str
    blueprint_name: str
    items: tuple[ChecklistItem, ...]
    frameworks: Frameworks
    values: Mapping[str, Any]
    """The condition values the items were evaluated against (answers, blueprint, posture)."""

    @property
    def ids(self) -> list[str]:
        """Return the item ids in checklist order."""
        return [i.id for i in self.items]

    def get(self, item_id: str) -> ChecklistItem:
        """Return the item with this id; KeyError when it does not apply."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    @property
    def counts(self) -> dict[str, int]:
        """Return the number of items per severity (every severity present, zeros included)."""
        return {s: sum(1 for i in self.items if i.severity == s) for s in SEVERITIES}

    @property
    def groups(self) -> list[SeverityGroup]:
        """Return the non-empty severity groups, most severe first."""
        groups = [SeverityGroup(s, tuple(i for i in self.items if i.severity == s)) for s in SEVERITIES]
        return [g for g in groups if g.items]

    @property
    def automated_count(self) -> int:
        """Return how many items the generated files implement."""
        return sum(1 for i in self.items if i.automated)

    @property
    def manual_count(self) -> int:
        """Return how many items need a person."""
        return len(self.items) - self.automated_count


def _severity(item: CatalogueItem, values: Mapping[str, Any]) -> tuple[Severity, list[str]]:
    severity = item.severity
    reasons: list[str] = []
    for step in item.escalate:
        if matches(step.when, values) and SEVERITIES.index(step.to) < SEVERITIES.index(severity):
            severity = step.to
            reasons = explain(step.when, values)
    return severity, reasons


def applies(item: CatalogueItem, values: Mapping[str, Any]) -> bool:
    """Return whether a catalogue item applies to the condition values."""
    if item.aws_only and lookup(values, "platform.cloud") not in _AWS_CLOUDS:
        return False
    return matches(item.when, values)


_RUNTIME_SERVICES = {
    "app_runner": ("AWS App Runner",),
    "ecs_fargate": ("Amazon ECS", "AWS Fargate", "Elastic Load Balancing"),
    "elastic_beanstalk": ("AWS Elastic Beanstalk", "Amazon EC2", "Elastic Load Balancing"),
    "kubernetes": ("Amazon EKS", "Amazon EC2", "Elastic Load Balancing"),
}


def aws_services(values: Mapping[str, Any]) -> list[str]:
    """Return the AWS services the generated code uses for these answers (for eligibility checks)."""
    services = [*_RUNTIME_SERVICES[str(values["blueprint"])]]
    services += ["Amazon ECR", "AWS KMS", "Amazon S3", "Amazon CloudWatch", "Amazon SNS", "AWS Budgets"]
    if values["blueprint"] != "app_runner":
        services.append("Amazon VPC")
    posture = values["posture"]
    components = values["components"]
    if posture["waf"] and posture["public_api"]:
        services.append("AWS WAF")
    if components["database"] == "postgres":
        services += ["Amazon RDS for PostgreSQL", "AWS Secrets Manager"]
    if components["model_hosting"] == "sagemaker":
        services.append("Amazon SageMaker AI (real-time endpoints)")
    if components["frontend"]:
        services.append("Amazon CloudFront")
    if components["domain"]:
        services += ["Amazon Route 53", "AWS Certificate Manager"]
    if components["ci"] == "codepipeline":
        services += ["AWS CodePipeline", "AWS CodeBuild"]
    return services


def _your_action(item: CatalogueItem, values: Mapping[str, Any]) -> str:
    """Return the item's action with `{aws_services}` filled in."""
    text = item.your_action
    if "{aws_services}" in text:
        text = text.replace("{aws_services}", ", ".join(aws_services(values)))
    return text


def _planned_note(item: CatalogueItem, blueprint_id: str) -> str | None:
    if blueprint_id in item.planned:
        return (
            "The generated files will automate this once the templates of this blueprint land; "
            "until then it is your action."
        )
    return None


def _build_item(item: CatalogueItem, values: Mapping[str, Any], blueprint_id: str) -> ChecklistItem:
    severity, escalated_by = _severity(item, values)
    triggered = explain(item.when, values)
    triggered += [f"{line} (raises severity to {severity})" for line in escalated_by]
    automation = item.automation_for(blueprint_id)
    evidence = tuple(e for e in automation.evidence if matches(e.when, values)) if automation else ()
    if automation and evidence:
        return ChecklistItem(
            id=item.id,
            title=item.title,
            why=item.why,
            severity=severity,
            category=item.category,
            status="automated",
            triggered_by=tuple(triggered),
            references=item.references,
            summary=automation.summary,
            evidence=evidence,
            checkov=automation.checkov,
            evidence_lines=tuple(e.describe(values) for e in evidence),
            evidence_data=tuple(e.to_json(values) for e in evidence),
        )
    return ChecklistItem(
        id=item.id,
        title=item.title,
        why=item.why,
        severity=severity,
        category=item.category,
        status="manual",
        triggered_by=tuple(triggered),
        references=item.references,
        your_action=_your_action(item, values),
        note=_planned_note(item, blueprint_id),
    )


def build_checklist(answers: Answers, blueprint_id: str) -> Checklist:
    """Return the checklist tailored to the answers and the blueprint, ordered by severity, category, id."""
    blueprints = load_blueprints()
    if blueprint_id not in blueprints:
        raise ChecklistDataError(f"unknown blueprint {blueprint_id!r}; allowed: {', '.join(blueprints)}")
    blueprint = blueprints[blueprint_id]
    values = condition_values(answers, blueprint)
    catalogue = load_catalogue()
    items: list[ChecklistItem] = []
    for entry in catalogue.items:
        try:
            if applies(entry, values):
                items.append(_build_item(entry, values, blueprint_id))
        except ConditionError as exc:
            raise ChecklistDataError(f"checklist item {entry.id}: {exc}") from None
    items.sort(key=lambda i: (SEVERITIES.index(i.severity), CATEGORIES.index(i.category), i.id))
    return Checklist(
        project=answers.project.name,
        blueprint=blueprint_id,
        blueprint_name=blueprint.name,
        items=tuple(items),
        frameworks=catalogue.frameworks,
        values=values,
    )


# --- outputs --------------------------------------------------------------------------------------------


def to_json(checklist: Checklist) -> dict[str, Any]:
    """Return the checklist as the JSON document of `wizard checklist --format json`."""
    return {
        "schema": SCHEMA_VERSION,
        "project": checklist.project,
        "blueprint": checklist.blueprint,
        "frameworks": dump(checklist.frameworks),
        "counts": checklist.counts,
        "automated": checklist.automated_count,
        "manual": checklist.manual_count,
        "items": [item.to_json() for item in checklist.items],
    }


@cache
def _markdown_environment(root: str) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(root),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(FILTERS)
    return env


def to_markdown(checklist: Checklist) -> str:
    """Return the checklist as Markdown: the same document as the generated `SECURITY_CHECKLIST.md`."""
    env = _markdown_environment(str(paths.templates_dir()))
    return env.get_template(TEMPLATE).render({"checklist": checklist})
