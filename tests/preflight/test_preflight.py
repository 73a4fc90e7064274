"""`wizard preflight` against moto (STS, EC2, ECS, EKS, Elastic Beanstalk, S3, Service Quotas for VPC) plus
recorded-shape stubs for what moto lacks (App Runner, Fargate/EC2 quotas, region opt-in, a foreign bucket)."""

from __future__ import annotations

import json
import time
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tests.preflight.conftest import ACCOUNT, Hooks, QuotaResponder, answers
from wizard.cli import main
from wizard.core.naming import state_bucket_name
from wizard.errors import ExitCode
from wizard.preflight import PreflightReport, format_json, format_text, run_preflight
from wizard.preflight.aws import CLIENT_CONFIG, Aws
from wizard.preflight.checks import Quota, judge_quota

ROOMY = {"L-3032A538": 100.0, "L-1216C47A": 256.0, "L-DB2E81BA": 64.0, "L-417A185B": 0.0, "L-0263D0A3": 5.0}


def by_id(report: PreflightReport) -> dict[str, Any]:
    return {c.id: c for c in report.checks}


def test_everything_ok_on_a_fresh_account(moto: None) -> None:
    hooks = Hooks(QuotaResponder(applied={"L-0263D0A3": 5.0}, defaults={"L-3032A538": 6.0}))
    a = answers()
    report = run_preflight(a, on_client=hooks)
    checks = by_id(report)
    assert report.account == ACCOUNT
    assert report.blueprint == "ecs_fargate"
    assert [c.id for c in report.checks] == [
        "credentials",
        "region",
        "service.ecs",
        "service.eks",
        "service.elasticbeanstalk",
        "app_runner",
        "quota.fargate_vcpu",
        "quota.vpcs",
        "quota.eips",
        "quota.nat_gateways",
        "state_bucket",
    ]
    assert {c.status for c in report.checks} == {"ok"}, format_text(report)
    assert report.exit_code == ExitCode.OK
    assert ACCOUNT in checks["credentials"].detail
    # Fargate: no account value, so the AWS default (6 vCPU) was used, and the basis is spelled out.
    assert "(AWS default)" in checks["quota.fargate_vcpu"].detail
    assert ("GetAWSDefaultServiceQuota", "L-3032A538") in hooks.quotas.calls
    # VPC quota comes from moto (5), with the default VPC counted as in use.
    assert "quota 5 (applied); 1 in use" in checks["quota.vpcs"].detail
    assert state_bucket_name(a, ACCOUNT) in checks["state_bucket"].detail
    assert "is free" in checks["state_bucket"].detail


def test_every_client_has_short_timeouts_and_two_attempts(moto: None) -> None:
    hooks = Hooks(QuotaResponder(applied=ROOMY))
    run_preflight(answers(), on_client=hooks)
    assert len(hooks.clients) >= 6
    for _, _, client in hooks.clients:
        config = client.meta.config
        assert (config.connect_timeout, config.read_timeout) == (3, 5)
        assert config.retries == {"total_max_attempts": 2, "mode": "standard"}
    assert CLIENT_CONFIG.connect_timeout == 3


def test_offers_existing_app_runner_when_the_account_runs_services(moto: None) -> None:
    hooks = Hooks(QuotaResponder(applied=ROOMY), app_runner=["billing-api", "web-shop"])
    report = run_preflight(answers(), on_client=hooks)
    check = by_id(report)["app_runner"]
    assert check.status == "warning"
    assert "2 App Runner service(s)" in check.detail and "billing-api" in check.detail
    assert "platform.existing_app_runner: true" in check.fix
    assert report.exit_code == ExitCode.OK


def test_existing_app_runner_claimed_but_none_found(moto: None) -> None:
    a = answers(platform={"existing_app_runner": True})
    report = run_preflight(a, on_client=Hooks(QuotaResponder(applied=ROOMY)))
    check = by_id(report)["app_runner"]
    assert check.status == "warning"
    assert "closed to new customers" in check.detail
    assert "existing_app_runner: false" in check.fix


def test_existing_app_runner_confirmed(moto: None) -> None:
    a = answers(platform={"existing_app_runner": True})
    report = run_preflight(a, on_client=Hooks(QuotaResponder(applied=ROOMY), app_runner=["legacy-api"]))
    assert by_id(report)["app_runner"].status == "ok"


def test_gpu_node_group_without_g_quota_is_blocked_with_the_request(moto: None) -> None:
    a = answers(workload={"gpu": True, "peak_rps": 50}, blueprint="kubernetes")
    quotas = QuotaResponder(applied={**ROOMY, "L-DB2E81BA": 0.0})
    report = run_preflight(a, on_client=Hooks(quotas))
    checks = by_id(report)
    g = checks["quota.ec2_g_vcpu"]
    assert g.status == "blocked"
    assert "g5.xlarge" in g.detail
    assert "--service-code ec2 --quota-code L-DB2E81BA --desired-value" in g.fix
    assert "--region us-east-1" in g.fix
    assert checks["quota.ec2_p_vcpu"].status == "ok"  # context only: the nodes are g5
    assert checks["quota.ec2_standard_vcpu"].status == "ok"
    assert "quota.fargate_vcpu" not in checks
    assert report.exit_code == ExitCode.FINDINGS
    assert not report.ok


def test_vpc_quota_used_up_is_blocked(moto: None) -> None:
    ec2 = boto3.client("ec2", region_name="us-east-1")
    for i in range(4):  # with the default VPC: 5 of 5
        ec2.create_vpc(CidrBlock=f"10.{i}.0.0/16")
    report = run_preflight(answers(), on_client=Hooks(QuotaResponder(applied=ROOMY)))
    check = by_id(report)["quota.vpcs"]
    assert check.status == "blocked"
    assert "5 in use" in check.detail
    assert "--quota-code L-F678F1CE --desired-value 7" in check.fix
    assert report.exit_code == ExitCode.FINDINGS


def test_nat_and_eip_usage_is_counted(moto: None) -> None:
    ec2 = boto3.client("ec2", region_name="us-east-1")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.9.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]
    for _ in range(4):
        eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
        ec2.create_nat_gateway(SubnetId=subnet["SubnetId"], AllocationId=eip)
    report = run_preflight(answers(), on_client=Hooks(QuotaResponder(applied=ROOMY)))
    checks = by_id(report)
    assert checks["quota.nat_gateways"].status == "blocked"  # 4 in us-east-1a + 2 > 5
    assert "4 in use" in checks["quota.nat_gateways"].detail
    assert checks["quota.eips"].status == "blocked"  # 4 + 3 > 5
    assert "--desired-value 7" in checks["quota.eips"].fix


def test_regulated_data_needs_no_nat_or_eip(moto: None) -> None:
    a = answers(data={"sensitivity": "regulated"})
    report = run_preflight(a, on_client=Hooks(QuotaResponder(applied=ROOMY)))
    checks = by_id(report)
    assert checks["quota.eips"].status == "ok"
    assert "needs 0 for" in checks["quota.eips"].detail


def test_quota_read_denied_is_a_warning_not_a_crash(moto: None) -> None:
    report = run_preflight(answers(), on_client=Hooks(QuotaResponder(denied=True)))
    check = by_id(report)["quota.fargate_vcpu"]
    assert check.status == "warning"
    assert "could not read quota L-3032A538" in check.detail
    assert "servicequotas/home/services/fargate/quotas/L-3032A538" in check.fix
    assert report.exit_code == ExitCode.OK


def test_state_bucket_already_ours(moto: None) -> None:
    a = answers()
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=state_bucket_name(a, ACCOUNT))
    check = by_id(run_preflight(a, on_client=Hooks(QuotaResponder(applied=ROOMY))))["state_bucket"]
    assert check.status == "ok"
    assert "already exists in this account" in check.detail


def test_state_bucket_taken_by_another_account(moto: None) -> None:
    a = answers()
    name = state_bucket_name(a, ACCOUNT)
    hooks = Hooks(QuotaResponder(applied=ROOMY))

    def taken(stubber: Stubber) -> None:
        stubber.add_client_error(
            "head_bucket",
            service_error_code="403",
            service_message="Forbidden",
            http_status_code=403,
            expected_params={"Bucket": name, "ExpectedBucketOwner": ACCOUNT},
        )

    hooks.stub("s3", taken)
    report = run_preflight(a, on_client=hooks)
    check = by_id(report)["state_bucket"]
    assert check.status == "blocked"
    assert "not in this account" in check.detail
    assert "project.name" in check.fix
    assert report.exit_code == ExitCode.FINDINGS


def test_region_not_enabled_blocks_and_skips_the_regional_checks(moto: None) -> None:
    a = answers(platform={"region": "af-south-1"})
    hooks = Hooks()

    def not_opted_in(stubber: Stubber) -> None:
        stubber.add_response(
            "describe_regions",
            {
                "Regions": [
                    {
                        "RegionName": "af-south-1",
                        "Endpoint": "ec2.af-south-1.amazonaws.com",
                        "OptInStatus": "not-opted-in",
                    }
                ]
            },
            {"AllRegions": True, "RegionNames": ["af-south-1"]},
        )

    hooks.stub("ec2", not_opted_in, region="us-east-1")
    report = run_preflight(a, on_client=hooks)
    checks = by_id(report)
    assert checks["region"].status == "blocked"
    assert "aws account enable-region --region-name af-south-1" in checks["region"].fix
    assert checks["regional"].status == "skipped"
    assert "state_bucket" not in checks
    assert report.exit_code == ExitCode.FINDINGS
    # Nothing was asked in the disabled region itself.
    assert {region for _, region, _ in hooks.clients} == {"us-east-1"}


def test_service_not_offered_in_the_region(moto: None) -> None:
    # botocore's endpoint data has no Elastic Beanstalk in mx-central-1.
    a = answers(platform={"region": "mx-central-1"}, blueprint="elastic_beanstalk")
    hooks = Hooks(QuotaResponder(applied=ROOMY))

    def opted_in(stubber: Stubber) -> None:  # moto keeps mx-central-1 disabled
        stubber.add_response(
            "describe_regions",
            {"Regions": [{"RegionName": "mx-central-1", "OptInStatus": "opted-in"}]},
            {"AllRegions": True, "RegionNames": ["mx-central-1"]},
        )

    hooks.stub("ec2", opted_in, region="us-east-1")
    report = run_preflight(a, on_client=hooks)
    checks = by_id(report)
    assert checks["region"].detail == "mx-central-1 is opted in for this account"
    assert checks["service.elasticbeanstalk"].status == "blocked"
    assert "not offered in mx-central-1" in checks["service.elasticbeanstalk"].detail
    assert checks["app_runner"].status == "skipped"  # App Runner is not in mx-central-1 either
    assert report.exit_code == ExitCode.FINDINGS


def test_no_credentials_is_one_clear_blocked_check(
    fake_credentials: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    start = time.monotonic()
    report = run_preflight(answers())
    assert time.monotonic() - start < 5
    assert len(report.checks) == 1
    [check] = report.checks
    assert (check.id, check.status) == ("credentials", "blocked")
    assert check.detail == "no AWS credentials were found"
    assert "aws configure" in check.fix and "--profile" in check.fix
    assert report.exit_code == ExitCode.FINDINGS


def test_unknown_profile_is_a_clear_blocked_check() -> None:
    report = run_preflight(answers(), profile="does-not-exist")
    [check] = report.checks
    assert check.status == "blocked"
    assert "'does-not-exist' is not configured" in check.detail
    assert "aws configure list-profiles" in check.fix
    assert report.exit_code == ExitCode.FINDINGS


def test_unreachable_endpoint_fails_fast_with_a_message(
    fake_credentials: None, closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed_port}")
    start = time.monotonic()
    report = run_preflight(answers())
    elapsed = time.monotonic() - start
    [check] = report.checks
    assert check.status == "blocked"
    assert check.title == "AWS connection"
    assert check.detail.startswith("cannot reach AWS to ask STS who you are")
    assert f"127.0.0.1:{closed_port}" in check.detail
    assert "AWS_ENDPOINT_URL" in check.fix
    assert report.exit_code == ExitCode.FINDINGS
    assert elapsed < 10


def test_rejected_credentials(moto: None) -> None:
    hooks = Hooks()

    def rejected(stubber: Stubber) -> None:
        stubber.add_client_error(
            "get_caller_identity",
            service_error_code="InvalidClientTokenId",
            service_message="The security token included in the request is invalid.",
            http_status_code=403,
        )

    hooks.stub("sts", rejected)
    [check] = run_preflight(answers(), on_client=hooks).checks
    assert check.status == "blocked"
    assert "rejected the credentials" in check.detail
    assert "aws configure" in check.fix


def test_other_clouds_need_no_account() -> None:
    report = run_preflight(answers(platform={"cloud": "gcp"}))
    [check] = report.checks
    assert check.status == "skipped"
    assert report.exit_code == ExitCode.OK


def test_cli_without_credentials_exits_1_without_traceback(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("project: {name: demo}\n")
    code = main(["preflight", "--answers", str(path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in out + err
    assert "blocked" in out and "no AWS credentials were found" in out
    assert "fix: run `aws configure`" in out
    code = main(["preflight", "--answers", str(path), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data == {
        "schema": 1,
        "account": None,
        "region": "us-east-1",
        "ok": False,
        "checks": [
            {
                "id": "credentials",
                "title": "AWS credentials",
                "status": "blocked",
                "detail": "no AWS credentials were found",
                "fix": "run `aws configure` (or `aws sso login`), or pass --profile NAME",
            }
        ],
    }


def test_json_and_text_formats(moto: None) -> None:
    report = run_preflight(answers(), on_client=Hooks(QuotaResponder(applied=ROOMY), app_runner=["svc-a"]))
    data = json.loads(format_json(report))
    assert set(data) == {"schema", "account", "region", "ok", "checks"}
    assert data["ok"] is True and data["account"] == ACCOUNT
    for check in data["checks"]:
        assert set(check) == {"id", "title", "status", "detail", "fix"}
        assert check["status"] in ("ok", "warning", "blocked", "skipped")
    text = format_text(report)
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("STATUS"))
    column = header.index("DETAIL")
    rows = [line for line in lines if line.split(" ")[0] in ("ok", "warning", "blocked", "skipped")]
    assert len(rows) == len(report.checks)
    for row in rows:
        assert row[column - 2 : column] == "  " and row[column] != " "
    assert "fix: set platform.existing_app_runner: true" in text
    assert text.splitlines()[-1].endswith("nothing blocks the deployment.")


def test_judge_quota_arithmetic() -> None:
    q = Quota("quota.x", "X", "fargate", "L-3032A538", 12, "3 x 4", "vCPU", used=None)
    assert judge_quota(q, 12, "applied", "eu-west-1").status == "ok"
    blocked = judge_quota(q, 6, "AWS default", "eu-west-1")
    assert blocked.status == "blocked"
    assert blocked.fix.startswith("request 12 vCPU: aws service-quotas request-service-quota-increase")
    assert "--desired-value 12 --region eu-west-1" in blocked.fix
    used = Quota("quota.v", "V", "vpc", "L-F678F1CE", 2, "two", used=4)
    assert "--desired-value 6" in judge_quota(used, 5, "applied", "us-east-1").fix


def test_aws_clients_are_cached_per_service_and_region(fake_credentials: None) -> None:
    aws = Aws.connect()
    assert aws.client("s3", "us-east-1") is aws.client("s3", "us-east-1")
    assert aws.client("s3", "us-east-1") is not aws.client("s3", "eu-west-1")


def test_no_eligible_blueprint_warns_and_skips_the_quotas(
    moto: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wizard.core import engine
    from wizard.errors import AnswersError

    def nothing_fits(*_: Any, **__: Any) -> Any:
        raise AnswersError(["no blueprint is eligible for these answers; relax one of: workload.gpu"])

    monkeypatch.setattr(engine, "resolve_blueprint", nothing_fits)
    report = run_preflight(answers(), on_client=Hooks())
    checks = by_id(report)
    assert checks["blueprint"].status == "warning"
    assert "workload.gpu" in checks["blueprint"].detail
    assert checks["quotas"].status == "skipped"
    assert checks["state_bucket"].status == "ok"
    assert report.exit_code == ExitCode.OK
