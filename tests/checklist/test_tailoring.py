"""Tailoring is visible: contrasting answers get visibly different checklists."""

from __future__ import annotations

from typing import Any

import pytest

from wizard.core.answers import parse_answers
from wizard.core.checklist import SEVERITIES, Checklist, build_checklist, explain
from wizard.core.conditions import ConditionError
from wizard.core.engine import resolve_blueprint

HOBBY = {
    "project": {"name": "hobby"},
    "data": {"sensitivity": "public", "pii": False, "compliance": []},
    "budget": {"monthly_usd": 30},
}
DEFAULT = {"project": {"name": "internal"}}
HIPAA = {
    "project": {"name": "clinic"},
    "data": {"sensitivity": "regulated", "pii": True, "compliance": ["hipaa"]},
}
APP_RUNNER = {"project": {"name": "runner"}, "platform": {"existing_app_runner": True}}


def checklist(raw: dict[str, Any], blueprint: str | None = None) -> Checklist:
    answers = parse_answers(raw)
    chosen, _ = resolve_blueprint(answers, blueprint)
    return build_checklist(answers, chosen)


def test_public_hobby_project_gets_a_short_list() -> None:
    recommended = checklist(HOBBY)
    on_ecs = checklist(HOBBY, "ecs_fargate")
    for result in (recommended, on_ecs):
        assert len(result.items) <= 15, result.ids
        assert {"IAM-01", "DATA-09", "IMG-01", "TLS-01", "ML-01"} <= set(result.ids)
        assert not any(i.category == "compliance" for i in result.items)
        assert not {"DATA-01", "LOG-01", "GOV-03", "NET-05"} & set(result.ids)


def test_regulated_pii_hipaa_gets_the_regulatory_items() -> None:
    result = checklist(HIPAA)
    ids = set(result.ids)
    # The BAA, eligible services only, audit logging and its retention, customer-managed keys.
    assert {"HIPAA-01", "HIPAA-02"} <= ids
    assert {"LOG-01", "LOG-04", "LOG-10"} <= ids
    assert {"LOG-02", "HIPAA-04"} <= ids
    assert {"DATA-01", "LOG-03"} <= ids
    # ... and more: incident response, data minimisation, private egress, breach-proof backups of logs.
    assert {"GOV-03", "DATA-14", "DATA-15", "NET-04", "IAM-05", "HIPAA-03", "HIPAA-05"} <= ids
    assert result.get("HIPAA-01").severity == "critical"
    assert result.get("HIPAA-01").triggered_by == ("data.compliance contains hipaa",)
    assert result.get("DATA-01").severity == "critical"  # escalated for regulated data
    assert result.get("HIPAA-01").status == "manual"
    assert "AWS Artifact" in (result.get("HIPAA-01").your_action or "")


def test_hipaa_eligible_services_item_lists_the_services_in_use() -> None:
    result = checklist({**HIPAA, "components": {"database": "postgres", "frontend": True}})
    action = result.get("HIPAA-02").your_action or ""
    for service in ("Amazon ECS", "Amazon RDS for PostgreSQL", "Amazon CloudFront", "AWS KMS", "AWS WAF"):
        assert service in action


def test_hipaa_log_retention_is_automated_with_the_six_year_default() -> None:
    item = checklist(HIPAA, "ecs_fargate").get("LOG-02")
    assert item.automated
    retention = [e for e in item.evidence_data if e.get("attribute") == "log_retention_days"]
    assert retention and all(e["equals"] == 2192 for e in retention)
    assert item.severity == "high"


def test_lists_grow_with_sensitivity() -> None:
    hobby = set(checklist(HOBBY, "ecs_fargate").ids)
    default = set(checklist(DEFAULT, "ecs_fargate").ids)
    regulated = set(checklist(HIPAA, "ecs_fargate").ids)
    assert hobby < default < regulated
    assert len(regulated) >= 3 * len(hobby)
    assert len(regulated) - len(default) >= 20


def test_counts_per_severity_differ_for_contrasting_answers() -> None:
    hobby = checklist(HOBBY, "ecs_fargate").counts
    regulated = checklist(HIPAA, "ecs_fargate").counts
    assert list(hobby) == list(SEVERITIES) == list(regulated)
    assert regulated["critical"] > hobby["critical"]
    assert regulated["high"] > hobby["high"]


def test_severity_escalates_with_the_answers() -> None:
    assert checklist(DEFAULT).get("IAM-02").severity == "high"
    assert checklist(HIPAA).get("IAM-02").severity == "critical"
    escalated = checklist(HIPAA).get("IAM-02")
    assert any("raises severity to critical" in line for line in escalated.triggered_by)


def test_app_runner_profile_gets_the_app_runner_controls() -> None:
    result = checklist(APP_RUNNER, "app_runner")
    app_runner = [i for i in result.items if i.id.startswith("APR-")]
    ids = {i.id for i in app_runner}
    assert {"APR-04", "APR-05", "APR-06", "APR-07", "APR-08", "APR-09", "APR-10"} <= ids
    # What the generated service sets is automated (proven by parsing it); the rest stays with a person.
    automated = {i.id for i in app_runner if i.automated}
    assert automated == {"APR-04", "APR-05", "APR-09", "APR-10"}
    assert "health_check_configuration.path" in " ".join(result.get("APR-10").evidence_lines)
    assert "/ready" not in (result.get("APR-10").summary or "")
    # Internal data gets no WAF from the generated code; App Runner's own log groups are outside Terraform.
    assert result.get("APR-06").status == "manual" and result.get("APR-07").status == "manual"
    assert all(any("checkov" in o for o in i.references.other) for i in app_runner if i.id != "APR-08")
    assert "ECS-01" not in result.ids and "NET-01" not in result.ids
    assert all("blueprint = app_runner" in i.triggered_by for i in app_runner)
    # With sensitive data the CMK and VPC connector controls join; without public callers, private ingress.
    sensitive = checklist({**APP_RUNNER, "data": {"sensitivity": "confidential"}}, "app_runner")
    assert {"APR-01", "APR-03"} <= set(sensitive.ids)
    assert sensitive.get("APR-01").automated
    assert sensitive.get("APR-06").automated and sensitive.get("APR-06").severity == "high"  # WAF
    assert sensitive.get("APR-03").status == "manual"  # no database, so no VPC connector yet
    with_db = checklist({**APP_RUNNER, "components": {"database": "postgres"}}, "app_runner")
    assert with_db.get("APR-03").automated
    batch = {**APP_RUNNER, "workload": {"peak_rps": 0, "traffic_pattern": "batch"}}
    assert "APR-02" in checklist(batch, "app_runner").ids
    assert checklist(batch, "app_runner").get("APR-02").automated
    assert "APR-02" not in result.ids
    # Regulated data with public callers: the service stays public, so private ingress is a decision to make.
    regulated = checklist({**APP_RUNNER, "data": {"sensitivity": "regulated"}}, "app_runner")
    assert regulated.get("APR-02").status == "manual"


def test_beanstalk_profile_gets_its_controls_automated() -> None:
    hobby = checklist(HOBBY, "elastic_beanstalk")
    assert hobby.get("EB-01").automated and "EB-02" not in hobby.ids
    assert "setting[name=DisableIMDSv1].value = true" in " ".join(hobby.get("EB-01").evidence_lines)
    assert hobby.get("EB-01").checkov == ("CKV_AWS_340",)
    regulated = checklist(HIPAA, "elastic_beanstalk")
    assert regulated.get("EB-02").automated
    assert "CKV_AWS_312" not in regulated.get("EB-02").checkov
    assert "CKV_AWS_312" not in regulated.get("EB-02").references.checkov
    retention = [
        e
        for e in regulated.get("EB-02").evidence_data
        if e.get("attribute") == "beanstalk_log_retention_days"
    ]
    assert retention == [
        {
            "file": "infra/environments/prod/main.tf",
            "module": "stack",
            "attribute": "beanstalk_log_retention_days",
            "equals": 3653,
        }
    ]


def test_items_not_yet_automated_for_a_blueprint_say_so() -> None:
    item = checklist(HOBBY, "kubernetes").get("K8S-01")
    assert item.status == "manual" and item.note and "templates" in item.note
    assert checklist(HOBBY, "ecs_fargate").get("ECR-01").status == "automated"
    assert checklist(HOBBY, "kubernetes").get("ECR-01").status == "manual"


def test_database_backups_are_automated_on_every_aws_blueprint_with_templates() -> None:
    with_db = {**HIPAA, "components": {"database": "postgres"}}
    for blueprint in ("ecs_fargate", "elastic_beanstalk"):
        item = checklist(with_db, blueprint).get("DATA-06")
        assert item.automated and item.severity == "high"
        backups = [e for e in item.evidence_data if e.get("attribute") == "db_backup_days"]
        assert [e["equals"] for e in backups] == [35]
    on_app_runner = checklist({**APP_RUNNER, "components": {"database": "postgres"}}, "app_runner")
    assert on_app_runner.get("DATA-06").automated


def test_common_app_items_are_automated_for_every_blueprint() -> None:
    for blueprint in ("ecs_fargate", "elastic_beanstalk", "kubernetes"):
        assert (
            checklist(HIPAA if blueprint != "app_runner" else APP_RUNNER, blueprint).get("IMG-01").automated
        )


def test_regimes_switch_on_their_items() -> None:
    gdpr = set(checklist({"project": {"name": "eu-app"}, "data": {"pii": True, "compliance": ["gdpr"]}}).ids)
    assert {"GDPR-01", "GDPR-02", "GDPR-03", "DATA-18", "DATA-14"} <= gdpr
    pci = set(checklist({"project": {"name": "cards"}, "data": {"compliance": ["pci_dss"]}}).ids)
    assert {"PCI-01", "PCI-02", "PCI-03", "NET-05"} <= pci
    soc2 = set(checklist({"project": {"name": "saas"}, "data": {"compliance": ["soc2"]}}).ids)
    assert {"SOC2-01", "SOC2-02", "CI-07", "LOG-06"} <= soc2
    assert not {"HIPAA-01", "PCI-01", "GDPR-01"} & set(checklist(DEFAULT).ids)


def test_components_switch_on_their_items() -> None:
    base = set(checklist(DEFAULT, "ecs_fargate").ids)
    with_db = set(checklist({**DEFAULT, "components": {"database": "postgres"}}, "ecs_fargate").ids)
    assert {"DATA-03", "DATA-04", "DATA-05", "DATA-06", "DATA-07"} <= with_db - base
    sagemaker = set(checklist({**DEFAULT, "components": {"model_hosting": "sagemaker"}}, "ecs_fargate").ids)
    assert {"DATA-11", "ML-05"} <= sagemaker - base
    frontend = set(checklist({**DEFAULT, "components": {"frontend": True}}, "ecs_fargate").ids)
    assert {"CDN-01", "CDN-02"} <= frontend - base
    ci = set(checklist({**DEFAULT, "components": {"ci": "gitlab_ci"}}, "ecs_fargate").ids)
    assert "CI-04" in ci and "CI-03" not in ci


def test_aws_only_items_leave_other_clouds_alone() -> None:
    gke = checklist({"project": {"name": "gke"}, "platform": {"cloud": "gcp"}}, "kubernetes")
    assert "IAM-01" not in gke.ids and "ECR-01" not in gke.ids
    assert {"K8S-01", "K8S-02", "K8S-05", "IAM-02", "DATA-09"} <= set(gke.ids)
    assert "K8S-03" not in gke.ids  # EKS control plane only


def test_order_is_severity_then_category_then_id_and_deterministic() -> None:
    first = checklist(HIPAA)
    keys = [(SEVERITIES.index(i.severity), i.category, i.id) for i in first.items]
    assert [k[0] for k in keys] == sorted(k[0] for k in keys)
    assert first.ids == checklist(HIPAA).ids


def test_explain_names_the_clauses_that_matched() -> None:
    values = {
        "data": {"compliance": ["hipaa"], "sensitivity": "internal", "pii": False},
        "workload": {"peak_rps": 800},
        "components": {"domain": "api.example.com"},
    }
    assert explain({"data.compliance": {"contains": "hipaa"}}, values) == ["data.compliance contains hipaa"]
    assert explain({"workload.peak_rps": {"gte": 500}}, values) == ["workload.peak_rps = 800 (>= 500)"]
    assert explain({"any": [{"data.pii": True}, {"data.sensitivity": {"ne": "public"}}]}, values) == [
        "data.sensitivity = internal"
    ]
    assert explain({"components.domain": {"ne": ""}}, values) == ["components.domain is set"]
    assert explain({"not": {"data.sensitivity": "public"}}, values) == ["data.sensitivity != public"]
    assert explain(None, values) == []
    with pytest.raises(ConditionError):
        explain({"data.nope": True}, values)
