"""Provides the security posture and per-environment settings derived from the answers.

Templates never re-derive these rules: they read `posture` and `envs` from the render context, so the checklist,
the README and the Terraform agree on one decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from wizard.core.answers import Answers

# CloudWatch Logs accepts only these retention values (days).
_VALID_RETENTION = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)


@dataclass(frozen=True)
class Posture:
    """Security decisions that follow from the data answers."""

    sensitive: bool
    """Confidential or regulated data, or personal data."""
    regulated: bool
    """Regulated data or a compliance regime beyond GDPR applies."""
    waf: bool
    """Put AWS WAF in front of public endpoints (confidential/regulated data, PCI DSS 6.4.2)."""
    egress: str
    """`nat` (NAT gateway) or `endpoints` (VPC endpoints only, no internet egress from private subnets)."""
    log_retention_days: int
    log_retention_reason: str
    data_capture: bool
    """SageMaker/inference data capture allowed (not for sensitive data)."""
    public_api: bool
    """The API is reachable from the internet (through a load balancer with TLS)."""


@dataclass(frozen=True)
class Environment:
    """Settings of one deployment environment (dev or prod)."""

    name: str
    min_replicas: int
    max_replicas: int
    multi_az: bool
    deletion_protection: bool
    nat_gateways: int
    db_instance_class: str
    db_backup_days: int
    vpc_cidr: str


def _retention(answers: Answers) -> tuple[int, str]:
    compliance = set(answers.data.compliance)
    if "hipaa" in compliance:
        return 2192, (
            "HIPAA: 6 years, the documentation-retention period of 45 CFR 164.316(b)(2)(i), "
            "kept as a policy default for audit logs; shorten it if your policy allows"
        )
    if "pci_dss" in compliance:
        return 365, "PCI DSS v4.0 10.5.1: keep audit log history for at least 12 months"
    if "fedramp" in compliance or "soc2" in compliance:
        return 365, "FedRAMP/SOC 2 audits expect at least a year of logs"
    if answers.data.pii or "gdpr" in compliance:
        return 90, "personal data: a finite retention (GDPR Art. 5(1)(e) storage limitation)"
    if answers.data.sensitivity == "public":
        return 30, "public data: 30 days is enough to debug and keeps costs down"
    return 90, "90 days: enough to investigate an incident, short enough to stay cheap"


def derive_posture(answers: Answers) -> Posture:
    """Return the security posture for the answers."""
    d = answers.data
    compliance = set(d.compliance)
    sensitive = d.sensitivity in ("confidential", "regulated") or d.pii
    regulated = d.sensitivity == "regulated" or bool(compliance & {"hipaa", "pci_dss", "fedramp"})
    days, reason = _retention(answers)
    assert days in _VALID_RETENTION
    return Posture(
        sensitive=sensitive,
        regulated=regulated,
        waf=d.sensitivity in ("confidential", "regulated") or "pci_dss" in compliance,
        egress="endpoints" if regulated else "nat",
        log_retention_days=days,
        log_retention_reason=reason,
        data_capture=not sensitive,
        public_api=answers.workload.peak_rps > 0 or answers.workload.traffic_pattern in ("steady", "spiky"),
    )


def environments(
    answers: Answers, min_replicas: int, max_replicas: int, posture: Posture
) -> dict[str, Environment]:
    """Return the dev and prod environment settings."""
    nat = 0 if posture.egress == "endpoints" else 1
    high_db = answers.workload.peak_rps >= 500
    return {
        "dev": Environment(
            name="dev",
            min_replicas=1,
            max_replicas=max(2, min(4, max_replicas)),
            multi_az=False,
            deletion_protection=False,
            nat_gateways=nat,
            db_instance_class="db.t4g.micro",
            db_backup_days=7 if posture.regulated else 1,
            vpc_cidr="10.10.0.0/16",
        ),
        "prod": Environment(
            name="prod",
            min_replicas=min_replicas,
            max_replicas=max_replicas,
            multi_az=True,
            deletion_protection=True,
            nat_gateways=2 * nat,
            db_instance_class="db.t4g.medium" if high_db else "db.t4g.small",
            db_backup_days=35 if posture.regulated else 14,
            vpc_cidr="10.20.0.0/16",
        ),
    }
