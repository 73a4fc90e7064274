"""`wizard preflight` against moto (STS, EC2, ECS, EKS, Elastic Beanstalk, S3, CloudWatch, Service Quotas for VPC)
plus recorded-shape stubs for what moto lacks (App Runner, Fargate/EC2 quotas, region opt-in, a foreign bucket)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from tests.preflight.conftest import ACCOUNT, Hooks, QuotaResponder, answers, record_usage
from wizard.cli import main
from wizard.core.naming import state_bucket_name
from wizard.errors import ExitCode, UsageError
from wizard.preflight import PreflightReport, format_json, format_text, run_preflight
from wizard.preflight.aws import CLIENT_CONFIG, Aws, AwsError
from wizard.preflight.checks import Quota, compute_quotas, eks_node_groups, judge_quota, make_plan

ROOMY = {"L-3032A538": 100.0, "L-1216C47A": 256.0, "L-DB2E81BA": 64.0, "L-417A185B": 0.0, "L-0263D0A3": 5.0}


def by_id(report: PreflightReport) -> dict[str, Any]:
    assert_every_problem_has_a_fix(report)
    return {c.id: c for c in report.checks}


def assert_every_problem_has_a_fix(report: PreflightReport) -> None:
    for check in report.checks:
        if check.status in ("warning", "blocked"):
            assert check.fix, f"{check.id} ({check.status}) has no fix: {check.detail}"


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
        "log_bucket",
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
    assert f"churn-predictor-tflogs-{ACCOUNT} is free" in checks["log_bucket"].detail
    # The current Fargate use comes from CloudWatch (nothing runs in a fresh account).
    assert "0 in use (the most in the last hour, from CloudWatch)" in checks["quota.fargate_vcpu"].detail


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
    # The instance types the generated Terraform picks: a 4-vCPU replica needs g5.2xlarge in prod, where
    # 1 vCPU stays for the system, and fits g5.xlarge in dev (half the request).
    assert "needs 36 vCPU" in g.detail
    assert "prod 3 x g5.2xlarge (8 vCPU) + dev 3 x g5.xlarge (4 vCPU)" in g.detail
    assert "--service-code ec2 --quota-code L-DB2E81BA --desired-value 36" in g.fix
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
        stubber.add_response(
            "list_buckets",
            {"Buckets": [], "Owner": {"ID": "c0ffee"}, "Prefix": name},
            {"Prefix": name},
        )
        stubber.add_client_error("head_bucket", service_error_code="404", http_status_code=404)

    hooks.stub("s3", taken)
    report = run_preflight(a, on_client=hooks)
    checks = by_id(report)
    check = checks["state_bucket"]
    assert check.status == "blocked"
    assert "taken by another AWS account" in check.detail
    assert "change project.name" in check.fix
    assert checks["log_bucket"].status == "ok"
    assert report.exit_code == ExitCode.FINDINGS
    hooks.stubbers[("s3", "us-east-1")].assert_no_pending_responses()


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
    # botocore's endpoint data has no Elastic Beanstalk or App Runner in mx-central-1, and their endpoints
    # cannot be reached.
    a = answers(platform={"region": "mx-central-1"}, blueprint="elastic_beanstalk")
    hooks = Hooks(QuotaResponder(applied=ROOMY), unreachable={"elasticbeanstalk", "apprunner"})

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


def test_a_service_newer_than_botocore_endpoint_list_is_found_by_calling_it(moto: None) -> None:
    a = answers(platform={"region": "mx-central-1"}, blueprint="elastic_beanstalk")
    hooks = Hooks(QuotaResponder(applied=ROOMY), app_runner=["svc-a"])

    def opted_in(stubber: Stubber) -> None:
        stubber.add_response(
            "describe_regions",
            {"Regions": [{"RegionName": "mx-central-1", "OptInStatus": "opted-in"}]},
            {"AllRegions": True, "RegionNames": ["mx-central-1"]},
        )

    hooks.stub("ec2", opted_in, region="us-east-1")
    # moto has no Elastic Beanstalk in mx-central-1: a recorded answer stands in for the endpoint.
    hooks.stub(
        "elasticbeanstalk",
        lambda stubber: stubber.add_response("describe_applications", {"Applications": []}, {}),
    )
    checks = by_id(run_preflight(a, on_client=hooks))
    assert checks["service.elasticbeanstalk"].status == "ok"
    assert checks["app_runner"].status == "warning" and "svc-a" in checks["app_runner"].detail
    assert ("elasticbeanstalk", "DescribeApplications") in hooks.calls


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


def test_unknown_profile_is_bad_input() -> None:
    with pytest.raises(UsageError, match=r"^--profile does-not-exist: no such AWS profile") as raised:
        run_preflight(answers(), profile="does-not-exist")
    assert raised.value.exit_code == ExitCode.BAD_INPUT
    assert "aws configure list-profiles" in str(raised.value)


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
        "blueprint": "ecs_fargate",
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
    assert set(data) == {"schema", "account", "region", "blueprint", "ok", "checks"}
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
    assert "fix: to let the wizard consider App Runner, set platform.existing_app_runner:" in text
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


# --- bad input, credentials and failures half-way ---------------------------------------------------------


def write_profiles(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, config: str, credentials: str = ""
) -> None:
    (tmp_path / "config").write_text(config)
    (tmp_path / "credentials").write_text(credentials)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))


def test_missing_profile_is_bad_input_exit_2_one_line(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("project: {name: demo}\n")
    code = main(["preflight", "--answers", str(path), "--profile", "does-not-exist"])
    out, err = capsys.readouterr()
    assert code == ExitCode.BAD_INPUT == 2
    assert out == ""
    assert err.splitlines() == [
        "wizard: error: --profile does-not-exist: no such AWS profile in the AWS config or credentials file; "
        "`aws configure list-profiles` lists the configured ones"
    ]


def test_aws_profile_naming_a_missing_profile_is_bad_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_PROFILE", "older-name")
    path = tmp_path / "answers.yaml"
    path.write_text("project: {name: demo}\n")
    assert main(["preflight", "--answers", str(path)]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("wizard: error: AWS_DEFAULT_PROFILE=older-name: no such AWS profile")
    monkeypatch.setenv("AWS_PROFILE", "gone")
    assert main(["preflight", "--answers", str(path)]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("wizard: error: AWS_PROFILE=gone: no such AWS profile")


def test_a_named_profile_is_used(moto: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    write_profiles(
        tmp_path,
        monkeypatch,
        "[profile ml]\nregion = eu-west-1\n",
        "[ml]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n",
    )
    assert run_preflight(answers(), on_client=Hooks()).checks[0].detail == "no AWS credentials were found"
    report = run_preflight(answers(), profile="ml", on_client=Hooks(QuotaResponder(applied=ROOMY)))
    assert report.account == ACCOUNT and report.ok, format_text(report)
    # A profile that only the credentials file names (no [profile ...] section in the config) is found too.
    write_profiles(
        tmp_path, monkeypatch, "", "[keys]\naws_access_key_id = AKIA1\naws_secret_access_key = s\n"
    )
    report = run_preflight(answers(), profile="keys", on_client=Hooks(QuotaResponder(applied=ROOMY)))
    assert report.account == ACCOUNT


def test_credential_provider_clients_get_the_same_timeouts(
    moto: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    # An AssumeRole profile: botocore makes its own STS client to get the role's credentials.
    write_profiles(
        tmp_path,
        monkeypatch,
        "[profile base]\n[profile deployer]\nrole_arn = arn:aws:iam::123456789012:role/deployer\n"
        "source_profile = base\n",
        "[base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = secret\n",
    )
    aws = Aws.connect("deployer")
    default = aws.session._session.get_default_client_config()
    assert (default.connect_timeout, default.read_timeout) == (3, 5)
    assert default.retries == {"total_max_attempts": 2, "mode": "standard"}
    report = run_preflight(answers(), profile="deployer", on_client=Hooks(QuotaResponder(applied=ROOMY)))
    assert "assumed-role/deployer" in report.checks[0].detail


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("ExpiredToken", "The security token included in the request is expired"),
        ("InvalidClientTokenId", "The security token included in the request is invalid."),
        ("SignatureDoesNotMatch", "The request signature we calculated does not match"),
    ],
)
def test_expired_or_invalid_credentials_are_one_blocked_check(moto: None, code: str, message: str) -> None:
    hooks = Hooks()
    hooks.stub(
        "sts",
        lambda stubber: stubber.add_client_error(
            "get_caller_identity", service_error_code=code, service_message=message, http_status_code=403
        ),
    )
    report = run_preflight(answers(), on_client=hooks)
    [check] = report.checks
    assert (check.id, check.status) == ("credentials", "blocked")
    assert check.detail == f"AWS rejected the credentials while trying to ask STS who you are: {message}"
    assert check.fix.startswith("refresh or replace the credentials")
    assert report.exit_code == ExitCode.FINDINGS


def test_credentials_expiring_half_way_degrade_without_more_calls(moto: None) -> None:
    hooks = Hooks(QuotaResponder(applied=ROOMY))

    def expired(stubber: Stubber) -> None:
        stubber.add_client_error(
            "describe_regions",
            service_error_code="ExpiredToken",
            service_message="expired",
            http_status_code=400,
        )

    hooks.stub("ec2", expired, region="us-east-1")
    report = run_preflight(answers(), on_client=hooks)
    checks = by_id(report)
    assert checks["credentials"].status == "ok"
    assert checks["region"].status == "warning" and "rejected the credentials" in checks["region"].detail
    after = [c for c in report.checks if c.id not in ("credentials", "region")]
    assert after and all(c.status != "ok" for c in after), format_text(report)
    assert all("not tried after an earlier failure" in c.detail for c in after)
    # Nothing was asked of AWS after the rejection.
    assert hooks.calls[-1] == ("ec2", "DescribeRegions")


def test_access_denied_on_single_apis_degrades_to_warnings(moto: None) -> None:
    denied = {
        ("apprunner", "ListServices"),
        ("ec2", "DescribeVpcs"),
        ("cloudwatch", "GetMetricStatistics"),
        ("eks", "ListClusters"),
    }
    hooks = Hooks(QuotaResponder(applied=ROOMY), denied=denied)
    report = run_preflight(answers(), on_client=hooks)
    checks = by_id(report)
    assert checks["app_runner"].status == "warning"
    assert "not allowed to list App Runner services" in checks["app_runner"].detail
    assert "ReadOnlyAccess" in checks["app_runner"].fix
    assert checks["service.eks"].status == "skipped"  # not the chosen blueprint
    assert checks["service.ecs"].status == "ok"
    vpcs = checks["quota.vpcs"]
    assert vpcs.status == "warning"
    assert "current use unknown: not allowed to list VPCs" in vpcs.detail
    assert "make sure 2 of the 5 are free" in vpcs.fix
    fargate = checks["quota.fargate_vcpu"]
    assert fargate.status == "warning"
    assert "current use unknown: not allowed to read the quota's usage from CloudWatch" in fargate.detail
    assert checks["quota.eips"].status == "ok" and checks["state_bucket"].status == "ok"
    assert report.exit_code == ExitCode.OK


def test_unreachable_endpoints_are_not_asked_again(
    fake_credentials: None, closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed_port}")
    aws = Aws.connect()
    start = time.monotonic()
    with pytest.raises(AwsError, match="cannot reach AWS to list VPCs"):
        aws.call("ec2", "us-east-1", "describe_vpcs", "list VPCs")
    with pytest.raises(AwsError, match=r"^not tried after an earlier failure: cannot reach AWS to list VPCs"):
        aws.call("ec2", "us-east-1", "describe_vpcs", "list VPCs")
    with pytest.raises(AwsError, match="cannot reach AWS to list buckets") as second:
        aws.call("s3", "us-east-1", "list_buckets", "list buckets")
    assert second.value.kind == "network" and "AWS_ENDPOINT_URL" in second.value.fix
    with pytest.raises(AwsError, match=r"^not tried after an earlier failure"):
        aws.call("eks", "us-east-1", "list_clusters", "list clusters")
    assert time.monotonic() - start < 10


def test_cli_against_an_unreachable_endpoint_in_a_real_process(
    fake_credentials: None, closed_port: int, tmp_path: Path
) -> None:
    # The whole process: start-up, boto3, one refused connection and its retry, the JSON report, exit code 1.
    # AWS_ENDPOINT_URL keeps the child process on 127.0.0.1 (the socket guard covers this process only).
    env = {**os.environ, "AWS_ENDPOINT_URL": f"http://127.0.0.1:{closed_port}"}
    answers_file = tmp_path / "answers.yaml"
    answers_file.write_text("project: {name: demo}\n")
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "wizard", "preflight", "--answers", str(answers_file), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
    )
    assert time.monotonic() - start < 30
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    [check] = json.loads(done.stdout)["checks"]
    assert check["title"] == "AWS connection" and check["status"] == "blocked"
    assert check["detail"].startswith("cannot reach AWS to ask STS who you are")


# --- clouds -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cloud", ["gcp", "azure"])
def test_gcp_and_azure_answers_get_a_clear_message(
    cloud: str, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(f"project: {{name: demo}}\nplatform: {{cloud: {cloud}}}\n")
    assert main(["preflight", "--answers", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"platform.cloud is {cloud}: `wizard preflight` checks an AWS account only" in out


def test_multi_cloud_checks_the_aws_part(moto: None) -> None:
    a = answers(platform={"cloud": "multi", "region": "eu-west-1"})
    report = run_preflight(a, on_client=Hooks(QuotaResponder(applied=ROOMY)))
    checks = by_id(report)
    assert report.checks[0].id == "cloud"
    assert checks["cloud"].status == "skipped"
    assert "only the AWS part (EKS in eu-west-1) is checked" in checks["cloud"].detail
    assert "GKE" in checks["cloud"].detail and "AKS" in checks["cloud"].detail
    assert report.blueprint == "kubernetes" and report.account == ACCOUNT
    assert "EKS node groups" in checks["quota.ec2_standard_vcpu"].detail
    assert report.exit_code == ExitCode.OK


# --- App Runner ---------------------------------------------------------------------------------------------


def test_the_app_runner_offer_says_what_changes(moto: None) -> None:
    hooks = Hooks(QuotaResponder(applied=ROOMY), app_runner=["legacy-api"])
    check = by_id(run_preflight(answers(budget={"monthly_usd": 40}), on_client=hooks))["app_runner"]
    assert "with existing_app_runner: true App Runner becomes eligible (ranked 2" in check.detail
    assert "`existing_app_runner: true` under `platform:`" in check.fix
    gpu = answers(workload={"gpu": True})
    hooks = Hooks(QuotaResponder(applied=ROOMY), app_runner=["legacy-api"])
    check = by_id(run_preflight(gpu, on_client=hooks))["app_runner"]
    assert "even with existing_app_runner: true, App Runner is ruled out by workload.gpu" in check.detail


def test_app_runner_chosen_in_a_region_without_it_is_blocked(moto: None) -> None:
    a = answers(platform={"region": "mx-central-1", "existing_app_runner": True}, blueprint="app_runner")
    hooks = Hooks(QuotaResponder(applied=ROOMY), unreachable={"apprunner", "elasticbeanstalk"})
    hooks.stub(
        "ec2",
        lambda stubber: stubber.add_response(
            "describe_regions",
            {"Regions": [{"RegionName": "mx-central-1", "OptInStatus": "opted-in"}]},
            {"AllRegions": True, "RegionNames": ["mx-central-1"]},
        ),
        region="us-east-1",
    )
    report = run_preflight(a, on_client=hooks)
    check = by_id(report)["app_runner"]
    assert check.status == "blocked"
    assert "not offered in mx-central-1" in check.detail
    assert report.exit_code == ExitCode.FINDINGS


# --- quotas sized like the generated Terraform ------------------------------------------------------------


def test_fargate_quota_counts_current_use_from_cloudwatch(moto: None) -> None:
    record_usage("L-3032A538", 5.0)
    report = run_preflight(answers(), on_client=Hooks(QuotaResponder(defaults={"L-3032A538": 6.0})))
    check = by_id(report)["quota.fargate_vcpu"]
    assert check.status == "blocked", check.detail
    assert (
        "needs 4.5 vCPU for 0.5 vCPU x 9 tasks (3 prod + 3 dev at the scaling ceiling, + 3 while"
        in check.detail
    )
    assert "quota 6 vCPU (AWS default); 5 in use (the most in the last hour, from CloudWatch)" in check.detail
    assert "--quota-code L-3032A538 --desired-value 10 --region us-east-1" in check.fix


def test_gpu_usage_of_other_instances_counts(moto: None) -> None:
    record_usage("L-DB2E81BA", 32.0)
    a = answers(workload={"gpu": True}, blueprint="elastic_beanstalk")
    report = run_preflight(a, on_client=Hooks(QuotaResponder(applied={**ROOMY, "L-DB2E81BA": 64.0})))
    checks = by_id(report)
    g = checks["quota.ec2_g_vcpu"]
    assert g.status == "blocked"  # 36 needed, 64 - 32 free
    assert "9 g5.xlarge instances of 4 vCPU" in g.detail
    assert "--quota-code L-DB2E81BA --desired-value 68" in g.fix
    assert "quota.ec2_standard_vcpu" not in checks
    assert checks["quota.ec2_p_vcpu"].status == "ok"


def test_beanstalk_single_instance_needs_elastic_ips_not_nat(moto: None) -> None:
    a = answers(budget={"monthly_usd": 30}, blueprint="elastic_beanstalk")
    checks = by_id(run_preflight(a, on_client=Hooks(QuotaResponder(applied=ROOMY))))
    assert "3 t3.small instances of 2 vCPU (single-instance mode" in checks["quota.ec2_standard_vcpu"].detail
    assert checks["quota.eips"].detail.startswith("needs 2 for 2: dev 1, prod 1; egress through the single")
    assert checks["quota.nat_gateways"].detail.startswith("needs 0 for")


def test_app_runner_without_a_vpc_needs_no_quota(moto: None) -> None:
    a = answers(platform={"existing_app_runner": True}, blueprint="app_runner")
    hooks = Hooks(QuotaResponder(applied=ROOMY), app_runner=["legacy-api"])
    checks = by_id(run_preflight(a, on_client=hooks))
    assert checks["quotas"].status == "ok"
    assert not [c for c in checks if c.startswith("quota.")]
    assert checks["app_runner"].status == "ok"


PROFILES = {
    "small": {},
    "gpu": {"workload": {"gpu": True, "peak_rps": 50}},
    "busy": {"workload": {"peak_rps": 2000, "model_size_mb": 500}},
    "large-model": {"workload": {"model_size_mb": 6000, "peak_rps": 30}},
    "batch": {"workload": {"traffic_pattern": "batch", "peak_rps": 0}},
}


def _terraform_values(content: str, key: str) -> list[str]:
    return re.findall(rf"^\s*{key}\s*=\s*\[?\"?([\w.]+)\"?\]?\s*$", content, flags=re.MULTILINE)


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_eks_node_groups_match_the_generated_terraform(profile: str) -> None:
    from wizard.core.render import render

    a = answers(**PROFILES[profile], blueprint="kubernetes")
    plan = make_plan(a)
    files = {f.path: f.content for f in render(a, "kubernetes")}
    for env in ("dev", "prod"):
        tf = files[f"infra/environments/{env}/main.tf"]
        groups = eks_node_groups(plan.sizing, plan.envs[env])
        assert _terraform_values(tf, "instance_types") == [g.instance_type for g in groups], env
        assert [int(v) for v in _terraform_values(tf, "max_size")] == [g.max_size for g in groups], env
        assert [v == "true" for v in _terraform_values(tf, "gpu")] == [g.gpu for g in groups], env


@pytest.mark.parametrize("profile", sorted(p for p in PROFILES if p != "gpu"))  # Fargate has no GPU
def test_fargate_and_beanstalk_quotas_match_the_generated_terraform(profile: str) -> None:
    from wizard.core.render import render

    a = answers(**PROFILES[profile])
    plan = make_plan(a)
    files = {f.path: f.content for f in render(a, "ecs_fargate")}
    cpu = {
        e: int(_terraform_values(files[f"infra/environments/{e}/main.tf"], "cpu")[0]) for e in ("dev", "prod")
    }
    top = {
        e: int(_terraform_values(files[f"infra/environments/{e}/main.tf"], "max_replicas")[0])
        for e in ("dev", "prod")
    }
    [fargate] = compute_quotas(a, plan)
    assert fargate.needed == (cpu["prod"] * 2 * top["prod"] + cpu["dev"] * top["dev"]) / 1024

    eb = answers(**PROFILES[profile], blueprint="elastic_beanstalk")
    plan = make_plan(eb)
    files = {f.path: f.content for f in render(eb, "elastic_beanstalk")}
    [itype] = set(_terraform_values(files["infra/environments/prod/main.tf"], "instance_type"))
    [quota] = compute_quotas(eb, plan)
    assert f" {itype} instances" in quota.basis


def test_every_client_of_a_full_run_is_bounded(moto: None) -> None:
    record_usage("L-3032A538", 1.0)
    hooks = Hooks(QuotaResponder(applied=ROOMY), app_runner=["svc-a"])
    run_preflight(answers(), on_client=hooks)
    services = {service for service, _, _ in hooks.clients}
    assert services == {
        "sts",
        "ec2",
        "ecs",
        "eks",
        "elasticbeanstalk",
        "apprunner",
        "service-quotas",
        "cloudwatch",
        "s3",
    }
    for _, _, client in hooks.clients:
        assert (client.meta.config.connect_timeout, client.meta.config.read_timeout) == (3, 5)
        assert client.meta.config.retries == {"total_max_attempts": 2, "mode": "standard"}


# --- the bootstrap buckets --------------------------------------------------------------------------------


def _s3_stub(name: str, *, listed: list[str] | None, list_denied: bool = False) -> Any:
    def setup(stubber: Stubber) -> None:
        stubber.add_client_error("head_bucket", service_error_code="403", http_status_code=403)
        if list_denied:
            stubber.add_client_error(
                "list_buckets",
                service_error_code="AccessDenied",
                service_message="Access Denied",
                http_status_code=403,
            )
        else:
            stubber.add_response(
                "list_buckets",
                {"Buckets": [{"Name": n} for n in listed or []], "Prefix": name},
                {"Prefix": name},
            )
        stubber.add_client_error("head_bucket", service_error_code="404", http_status_code=404)

    return setup


def test_state_bucket_ours_but_unreadable(moto: None) -> None:
    a = answers()
    name = state_bucket_name(a, ACCOUNT)
    hooks = Hooks(QuotaResponder(applied=ROOMY))
    hooks.stub("s3", _s3_stub(name, listed=[name]))
    check = by_id(run_preflight(a, on_client=hooks))["state_bucket"]
    assert check.status == "warning"
    assert "belongs to this account, but these credentials may not read it" in check.detail
    assert f"allow s3:ListBucket on arn:aws:s3:::{name}" in check.fix


def test_state_bucket_owner_unknown(moto: None) -> None:
    a = answers()
    hooks = Hooks(QuotaResponder(applied=ROOMY))
    hooks.stub("s3", _s3_stub(state_bucket_name(a, ACCOUNT), listed=None, list_denied=True))
    check = by_id(run_preflight(a, on_client=hooks))["state_bucket"]
    assert check.status == "warning"
    assert "whose it is could not be told" in check.detail


def test_state_bucket_ours_in_another_region(moto: None) -> None:
    a = answers()
    boto3.client("s3", region_name="eu-west-1").create_bucket(
        Bucket=state_bucket_name(a, ACCOUNT), CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    check = by_id(run_preflight(a, on_client=Hooks(QuotaResponder(applied=ROOMY))))["state_bucket"]
    assert check.status == "warning"
    assert "already exists in this account, but in eu-west-1, not us-east-1" in check.detail


def test_log_bucket_left_from_an_earlier_bootstrap(moto: None) -> None:
    a = answers()
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=f"churn-predictor-tflogs-{ACCOUNT}")
    checks = by_id(run_preflight(a, on_client=Hooks(QuotaResponder(applied=ROOMY))))
    assert checks["state_bucket"].status == "ok"
    assert checks["log_bucket"].status == "warning"
    assert "terraform import module.logs_bucket.aws_s3_bucket.this" in checks["log_bucket"].fix
