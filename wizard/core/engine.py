"""Provides the recommendation engine: hard constraints become blockers, soft fit becomes a score with reasons.

The engine is generic over blueprint data. Hard constraints compare the answers with a blueprint's `clouds`,
`lifecycle`, `limits` and `compliance` (each backed by a dated fact); soft fit applies the blueprint's `fit`
rules plus the budget check. Results are deterministic and rank all blueprints: eligible first, best first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wizard.core.answers import Answers
from wizard.core.blueprints import Blueprint, Fact, load_blueprints
from wizard.core.conditions import lookup, matches
from wizard.core.cost import CostEstimate, estimate
from wizard.core.posture import derive_posture
from wizard.core.sizing import RUNTIME_OVERHEAD_MB, size_workload
from wizard.errors import AnswersError

BUDGET_OVER_LOW = -0.3
BUDGET_OVER_HIGH = -0.1
COMPLIANCE_NAMES = {
    "hipaa": "HIPAA",
    "gdpr": "GDPR",
    "pci_dss": "PCI DSS",
    "soc2": "SOC 2",
    "fedramp": "FedRAMP",
}


@dataclass(frozen=True)
class Blocker:
    """A hard constraint that rules a blueprint out: the answer that does it and the fact behind it."""

    key: str
    """The dotted answers key that rules the blueprint out (what to relax)."""
    text: str


@dataclass(frozen=True)
class Assessment:
    """One blueprint judged against the answers."""

    blueprint: str
    name: str
    runtime: str
    eligible: bool
    score: float
    reasons: tuple[str, ...]
    blockers: tuple[Blocker, ...]
    warnings: tuple[str, ...]
    cost: CostEstimate

    def to_json(self) -> dict[str, Any]:
        """Return the contract's ranking entry (plus name, runtime, warnings and cost drivers)."""
        return {
            "blueprint": self.blueprint,
            "name": self.name,
            "runtime": self.runtime,
            "eligible": self.eligible,
            "score": self.score,
            "reasons": list(self.reasons),
            "blockers": [b.text for b in self.blockers],
            "warnings": list(self.warnings),
            "monthly_cost_usd": self.cost.to_json(),
            "cost_drivers": [
                {"name": d.name, "low": d.low, "high": d.high, "detail": d.detail} for d in self.cost.drivers
            ],
        }


@dataclass(frozen=True)
class Recommendation:
    """All blueprints ranked for the answers."""

    recommended: str | None
    ranking: tuple[Assessment, ...]
    warnings: tuple[str, ...] = field(default=())
    relax: tuple[str, ...] = field(default=())
    """When nothing is eligible: the answers whose change would make some blueprint eligible."""

    def get(self, blueprint_id: str) -> Assessment:
        """Return the assessment of one blueprint."""
        return next(a for a in self.ranking if a.blueprint == blueprint_id)

    def to_json(self) -> dict[str, Any]:
        """Return the contract's `wizard recommend --format json` object."""
        return {
            "schema": 1,
            "recommended": self.recommended,
            "ranking": [a.to_json() for a in self.ranking],
            "warnings": list(self.warnings),
        }


def _cite(fact: Fact) -> str:
    source = fact.source.split()[0]
    return f"{fact.text} [{fact.ref or 'fact'}, checked {fact.checked.isoformat()}: {source}]"


def _hard_constraints(answers: Answers, bp: Blueprint) -> tuple[list[Blocker], list[str]]:
    blockers: list[Blocker] = []
    warnings: list[str] = []
    values = answers.values()
    cloud = answers.platform.cloud
    hosted = answers.components.model_hosting == "sagemaker"
    sizing = size_workload(answers)

    if cloud not in bp.clouds:
        blockers.append(
            Blocker(
                "platform.cloud",
                f"platform.cloud is {cloud}; {bp.name} runs on "
                f"{', '.join(c for c in bp.clouds if c not in ('any', 'multi'))} only",
            )
        )

    life = bp.lifecycle
    if life.eligible_only_if and not lookup(values, life.eligible_only_if):
        fact = bp.facts[life.fact] if life.fact else None
        since = f" since {life.since.isoformat()}" if life.since else ""
        blockers.append(
            Blocker(
                life.eligible_only_if,
                (
                    f"{bp.name} is closed to new customers{since}; it is only eligible when {life.eligible_only_if} is true"
                    + (f" — {_cite(fact)}" if fact else "")
                ),
            )
        )
    elif life.status != "active" and life.note:
        warnings.append(life.note)

    gpu = bp.limit("gpu")
    if answers.workload.gpu and not hosted and gpu.value is False:
        blockers.append(
            Blocker(
                "workload.gpu",
                f"needs a GPU (workload.gpu: true); {bp.name} offers none — {_cite(bp.facts[gpu.fact])}",
            )
        )
    elif answers.workload.gpu and not hosted and gpu.note:
        warnings.append(f"GPU: {gpu.note}")

    mem_limit = bp.limit("max_memory_gb")
    needed_gb = (sizing.model_memory_mb + RUNTIME_OVERHEAD_MB) / 1024
    if not hosted and isinstance(mem_limit.value, int | float) and needed_gb > mem_limit.value:
        blockers.append(
            Blocker(
                "workload.model_size_mb",
                (
                    f"the model needs about {needed_gb:.1f} GB of memory (workload.model_size_mb: "
                    f"{answers.workload.model_size_mb}, loaded at about twice its size); {bp.name} allows at most "
                    f"{mem_limit.value:g} GB per unit — {_cite(bp.facts[mem_limit.fact])}"
                ),
            )
        )

    long_lived = bp.limit("long_lived_connections")
    if answers.workload.long_lived_connections and long_lived.value is False:
        blockers.append(
            Blocker(
                "workload.long_lived_connections",
                (
                    "needs WebSockets, streaming or responses longer than 120 s (workload.long_lived_connections: true); "
                    f"{bp.name} cannot — {_cite(bp.facts[long_lived.fact])}"
                ),
            )
        )

    region = answers.platform.region
    govcloud = bp.limit("govcloud")
    for regime in answers.data.compliance:
        status = bp.compliance[regime]
        label = COMPLIANCE_NAMES[regime]
        if status.status == "not_eligible":
            blockers.append(
                Blocker(
                    "data.compliance",
                    (
                        f"{label} is required (data.compliance includes {regime}); {bp.name} is not eligible — "
                        f"{_cite(bp.facts[status.fact])}"
                    ),
                )
            )
        elif status.status in ("caveat", "unverified"):
            verb = (
                "is eligible only with a caveat"
                if status.status == "caveat"
                else "has unverified eligibility"
            )
            warnings.append(
                f"{label}: {bp.name} {verb}: {status.note or bp.facts[status.fact].text} — check "
                "the provider's current compliance list before processing regulated data"
            )
    if "fedramp" in answers.data.compliance and cloud in ("aws", "any", "multi"):
        if govcloud.value is False:
            blockers.append(
                Blocker(
                    "data.compliance",
                    (
                        f"FedRAMP High workloads run in AWS GovCloud (data.compliance includes fedramp); {bp.name} is not "
                        f"offered there — {_cite(bp.facts[govcloud.fact])}"
                    ),
                )
            )
        elif not region.startswith("us-gov-"):
            warnings.append(
                f"FedRAMP: platform.region is {region}; FedRAMP High needs us-gov-east-1 or "
                "us-gov-west-1 (commercial US regions carry FedRAMP Moderate)"
            )
    if region.startswith("us-gov-") and govcloud.value is False and cloud in ("aws", "any"):
        blockers.append(
            Blocker(
                "platform.region",
                f"platform.region is {region} (GovCloud); {bp.name} is not "
                f"offered in GovCloud — {_cite(bp.facts[govcloud.fact])}",
            )
        )
    return blockers, warnings


def _soft_fit(answers: Answers, bp: Blueprint, cost: CostEstimate) -> tuple[float, list[str], list[str]]:
    values = answers.values()
    score = bp.fit.base
    reasons: list[str] = []
    warnings: list[str] = []
    for rule in bp.fit.rules:
        if matches(rule.when, values):
            score += rule.weight
            sign = "+" if rule.weight >= 0 else "−"
            reasons.append(f"{sign} {rule.reason}")
    for advisory in bp.advisories:
        if matches(advisory.when, values):
            warnings.append(advisory.text)
    budget = answers.budget.monthly_usd
    if cost.low > budget:
        score += BUDGET_OVER_LOW
        reasons.append(f"− the estimate starts at ${cost.low:,}/month, above budget.monthly_usd ${budget:,}")
        warnings.append(
            f"budget: even scaled in, {bp.name} costs about ${cost.low:,}-${cost.high:,}/month, "
            f"more than the ${budget:,} budget"
        )
    elif cost.high > budget:
        score += BUDGET_OVER_HIGH
        reasons.append(
            f"− at peak the estimate reaches ${cost.high:,}/month, above budget.monthly_usd ${budget:,}"
        )
    else:
        reasons.append(f"+ fits budget.monthly_usd ${budget:,} (about ${cost.low:,}-${cost.high:,}/month)")
    return round(min(1.0, max(0.0, score)), 2), reasons, warnings


def assess(answers: Answers, bp: Blueprint) -> Assessment:
    """Judge one blueprint against the answers."""
    sizing = size_workload(answers)
    posture = derive_posture(answers)
    cost = estimate(answers, bp, sizing, posture)
    blockers, warnings = _hard_constraints(answers, bp)
    if blockers:
        return Assessment(
            bp.id,
            bp.name,
            bp.runtime(answers.platform.cloud),
            False,
            0.0,
            (),
            tuple(blockers),
            tuple(warnings),
            cost,
        )
    score, reasons, fit_warnings = _soft_fit(answers, bp, cost)
    return Assessment(
        bp.id,
        bp.name,
        bp.runtime(answers.platform.cloud),
        True,
        score,
        tuple(reasons),
        (),
        tuple(warnings + fit_warnings),
        cost,
    )


def recommend(answers: Answers, blueprints: dict[str, Blueprint] | None = None) -> Recommendation:
    """Rank every blueprint for the answers; `recommended` is the best eligible one or None."""
    catalogue = blueprints if blueprints is not None else load_blueprints()
    assessed = [assess(answers, bp) for bp in catalogue.values()]
    order = {bp_id: i for i, bp_id in enumerate(catalogue)}
    ranking = sorted(assessed, key=lambda a: (not a.eligible, -a.score, order[a.blueprint]))
    recommended = ranking[0].blueprint if ranking and ranking[0].eligible else None
    warnings: list[str] = []
    relax: list[str] = []
    if recommended is None:
        relax = sorted({b.key for a in ranking for b in a.blockers})
        warnings.append("no blueprint fits these answers; relax one of: " + ", ".join(relax))
    else:
        cheapest = min(a.cost.low for a in ranking if a.eligible)
        if cheapest > answers.budget.monthly_usd:
            warnings.append(
                f"budget: the cheapest eligible setup starts at about ${cheapest:,}/month, above "
                f"budget.monthly_usd ${answers.budget.monthly_usd:,}; raise the budget or reduce the needs"
            )
    return Recommendation(recommended, tuple(ranking), tuple(warnings), tuple(relax))


def resolve_blueprint(
    answers: Answers, override: str | None = None, blueprints: dict[str, Blueprint] | None = None
) -> tuple[str, Recommendation]:
    """Return the blueprint to render (override, answers' choice, or the recommendation) and the ranking.

    Raises AnswersError when the chosen blueprint is ruled out by the answers, naming both keys.
    """
    rec = recommend(answers, blueprints)
    chosen = override or (answers.blueprint if answers.blueprint != "auto" else None)
    key = "--blueprint" if override else "blueprint"
    if chosen is None:
        if rec.recommended is None:
            raise AnswersError(
                [f"no blueprint is eligible for these answers; relax one of: {', '.join(rec.relax)}"]
            )
        return rec.recommended, rec
    known = [a.blueprint for a in rec.ranking]
    if chosen not in known:
        raise AnswersError([f"{key}: found {chosen!r}; allowed: {' | '.join(known)}"])
    assessment = rec.get(chosen)
    if not assessment.eligible:
        first = assessment.blockers[0]
        raise AnswersError([f"{key}: {chosen} is ruled out by {first.key}: {first.text}"])
    return chosen, rec
