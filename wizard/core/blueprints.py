"""Provides the blueprint catalogue: one YAML file per blueprint in `blueprints/`, loaded into frozen models.

A blueprint is data: its capabilities and hard limits (each tied to a dated, sourced fact), compliance
eligibility, lifecycle status, soft-fit rules, cost model and the template sets it renders. Adding a fifth
blueprint means adding a YAML file (and templates), never editing the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

from wizard.core import paths
from wizard.core.cache import cached
from wizard.core.records import Record, RecordError, frozen, rule
from wizard.core.yamlio import load_yaml_file
from wizard.errors import BlueprintDataError

LimitName = Literal[
    "max_vcpu",
    "max_memory_gb",
    "gpu",
    "long_lived_connections",
    "max_request_seconds",
    "scale_to_zero",
    "private_networking",
    "govcloud",
]
REQUIRED_LIMITS: tuple[str, ...] = LimitName.__args__  # type: ignore[attr-defined]
ComplianceId = Literal["hipaa", "gdpr", "pci_dss", "soc2", "fedramp"]
REQUIRED_COMPLIANCE: tuple[str, ...] = ComplianceId.__args__  # type: ignore[attr-defined]


class _Frozen(Record):
    __slots__ = ()
    strict = False


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Fact(_Frozen):
    """A dated, sourced statement about a service that a rule or limit relies on."""

    text: str
    source: str
    """URL(s) of the source; (3rd-party) sources say so in `text`."""
    checked: date
    """When the fact was last checked against its source."""
    ref: str = ""
    """The fact id in shared/reference/aws-facts.md (F1, F10, ...), if any."""


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Limit(_Frozen):
    """One capability or hard limit; `value` None means "no fixed limit"."""

    value: bool | int | float | None
    fact: str
    note: str = ""


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class ComplianceStatus(_Frozen):
    """Whether the service may hold data under a compliance regime."""

    status: Literal["eligible", "caveat", "not_eligible", "unverified"]
    fact: str
    note: str = ""


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Lifecycle(_Frozen):
    """Whether new users can adopt the service, and since when."""

    status: Literal["active", "closed_to_new_customers", "deprecated"]
    since: date | None = None
    eligible_only_if: str | None = None
    """A boolean answer (dotted key) that must be true for the blueprint to be eligible."""
    note: str = ""
    alternative: str | None = None
    fact: str | None = None


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Level(_Frozen):
    """A 1 (least) to 5 (most) rating with the sentence that explains it."""

    level: int = rule(ge=1, le=5)
    text: str


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class FitRule(_Frozen):
    """A soft-fit rule: when the condition holds, the score moves by `weight` for the stated reason."""

    when: dict[str, Any]
    weight: float = rule(ge=-1, le=1)
    reason: str


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Fit(_Frozen):
    """The starting score and the rules that move it."""

    base: float = rule(ge=0, le=1)
    rules: tuple[FitRule, ...] = ()


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class TemplateSet(_Frozen):
    """A folder under `templates/` rendered when its condition holds."""

    set: str
    when: dict[str, Any] | None = None


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Advisory(_Frozen):
    """A warning shown when its condition holds (e.g. "Cloud Run would serve a small GCP API better")."""

    when: dict[str, Any]
    text: str


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class CostModel(_Frozen):
    """How the cost estimator prices this blueprint (the pricing model and its fixed parts)."""

    model: Literal["fargate", "app_runner", "ec2_asg", "kubernetes"]
    load_balancer: bool = True
    nat: bool = True
    control_plane: bool = False
    notes: str = ""


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Blueprint(_Frozen):
    """One deployment blueprint."""

    id: str = rule(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    order: int
    summary: str
    clouds: tuple[str, ...]
    """The `platform.cloud` answers under which this blueprint can run."""
    runtime_by_cloud: dict[str, str]
    """What actually runs for each cloud answer (e.g. EKS for aws, GKE for gcp)."""
    lifecycle: Lifecycle
    limits: dict[str, Limit]
    compliance: dict[str, ComplianceStatus]
    ops_burden: Level
    lock_in: Level
    pros: tuple[str, ...]
    cons: tuple[str, ...]
    fit: Fit
    advisories: tuple[Advisory, ...] = ()
    cost: CostModel
    templates: tuple[TemplateSet, ...]
    facts: dict[str, Fact]

    def _after(self) -> Blueprint:
        missing = [k for k in REQUIRED_LIMITS if k not in self.limits]
        if missing:
            raise ValueError(f"limits is missing {', '.join(missing)}")
        unknown = [k for k in self.limits if k not in REQUIRED_LIMITS]
        if unknown:
            raise ValueError(f"unknown limits {', '.join(unknown)}; allowed: {', '.join(REQUIRED_LIMITS)}")
        missing = [k for k in REQUIRED_COMPLIANCE if k not in self.compliance]
        if missing:
            raise ValueError(f"compliance is missing {', '.join(missing)}")
        refs = [limit.fact for limit in self.limits.values()]
        refs += [c.fact for c in self.compliance.values()]
        if self.lifecycle.fact:
            refs.append(self.lifecycle.fact)
        dangling = sorted({r for r in refs if r not in self.facts})
        if dangling:
            raise ValueError(f"fact ids used but not defined under facts: {', '.join(dangling)}")
        return self

    def limit(self, name: str) -> Limit:
        """Return a limit by name."""
        return self.limits[name]

    def fact_for_limit(self, name: str) -> Fact:
        """Return the fact behind a limit."""
        return self.facts[self.limits[name].fact]

    def runtime(self, cloud: str) -> str:
        """Return what runs for a `platform.cloud` answer, or the blueprint name."""
        return self.runtime_by_cloud.get(cloud, self.name)


def load_blueprint(path: Path) -> Blueprint:
    """Load and validate one blueprint file."""
    try:
        data = load_yaml_file(path)
    except Exception as exc:
        raise BlueprintDataError(f"{path}: cannot read blueprint: {exc}") from None
    if not isinstance(data, dict):
        raise BlueprintDataError(f"{path}: a blueprint file must be a mapping")
    try:
        blueprint = Blueprint.model_validate(data)
    except RecordError as exc:
        first = exc.problems[0]
        where = ".".join(str(p) for p in first.loc)
        raise BlueprintDataError(f"{path}: {where}: {first.msg}") from None
    if blueprint.id != path.stem:
        raise BlueprintDataError(f"{path}: id {blueprint.id!r} must match the file name {path.stem!r}")
    return blueprint


def load_blueprints(directory: Path | None = None) -> dict[str, Blueprint]:
    """Load every `*.yaml` blueprint of a directory, ordered by `order` then id."""
    if directory is None:
        return dict(_bundled())
    found = [load_blueprint(p) for p in sorted(directory.glob("*.yaml"))]
    if not found:
        raise BlueprintDataError(f"{directory}: no blueprint files (*.yaml)")
    return {bp.id: bp for bp in sorted(found, key=lambda b: (b.order, b.id))}


@cache
def _bundled() -> tuple[tuple[str, Blueprint], ...]:
    directory = paths.blueprints_dir()
    files = [path for path in sorted(directory.iterdir()) if path.suffix == ".yaml"]
    return cached("records", files, lambda: tuple(load_blueprints(directory).items()))
