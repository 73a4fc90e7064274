"""Provides the preflight checks: identity, region, services, App Runner use, quotas and the state bucket.

Each check asks one read-only question of the account and turns the answer, or the failure, into a `Check`
with a status and a fix. Nothing here creates or changes anything in the account. The checks run in a fixed
order; when the credentials are missing or AWS cannot be reached, the report holds that one blocked check.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from wizard.core.answers import Answers
from wizard.core.naming import state_bucket_name
from wizard.core.posture import Environment, Posture, derive_posture, environments
from wizard.core.sizing import Sizing, size_workload
from wizard.errors import AnswersError
from wizard.preflight.aws import Aws, AwsError, ClientHook, control_region
from wizard.preflight.report import Check, PreflightReport, Status

APP_RUNNER_CLOSED = "2026-04-30"
EKS_NODE_VCPU = 4
"""The generated EKS general node group uses t3.xlarge (4 vCPU), packed to 75 %."""
GPU_NODE_VCPU = 4
"""The generated GPU node group uses g5.xlarge: 4 vCPU and one A10G GPU per replica."""


@dataclass(frozen=True)
class Quota:
    """A service quota and the share of it the generated deployment needs."""

    id: str
    title: str
    service_code: str
    quota_code: str
    needed: float
    basis: str
    unit: str = ""
    used: float | None = None
    usage_note: str = ""
    informational: bool = False
    """Reported for context only (never blocks), such as the P-instance quota when g5 nodes are used."""


@dataclass(frozen=True)
class Plan:
    """What the answers will deploy: the blueprint, replica sizes and the dev/prod environments."""

    blueprint: str | None
    problem: str
    sizing: Sizing
    posture: Posture
    envs: dict[str, Environment]

    @property
    def ceiling(self) -> int:
        """Return the replicas of dev and prod together at their scaling ceilings."""
        return self.envs["prod"].max_replicas + self.envs["dev"].max_replicas


def make_plan(answers: Answers) -> Plan:
    """Resolve the blueprint (the answers' choice or the recommendation) and size both environments."""
    from wizard.core.engine import resolve_blueprint

    sizing = size_workload(answers)
    posture = derive_posture(answers)
    envs = environments(answers, sizing.min_replicas, sizing.max_replicas, posture)
    try:
        blueprint, _ = resolve_blueprint(answers)
        problem = ""
    except AnswersError as exc:
        blueprint, problem = None, str(exc)
    return Plan(blueprint, problem, sizing, posture, envs)


def run_preflight(
    answers: Answers, profile: str | None = None, *, on_client: ClientHook | None = None
) -> PreflightReport:
    """Run every check against the account behind `profile` (or the default credentials) and return the report.

    Never raises for AWS trouble: missing credentials or an unreachable endpoint become one blocked check.
    """
    region = answers.platform.region
    report = PreflightReport(region=region)
    cloud = answers.platform.cloud
    if cloud in ("gcp", "azure"):
        report.add(
            Check(
                "cloud",
                "Cloud",
                "skipped",
                f"platform.cloud is {cloud}: the preflight checks an AWS account only; nothing to check",
            )
        )
        return report
    plan = make_plan(answers)
    report.blueprint = plan.blueprint
    try:
        aws = Aws.connect(profile, on_client)
    except AwsError as problem:
        report.add(_blocked_identity(problem))
        return report
    account = _identity(aws, region, report)
    if account is None:
        return report
    report.account = account
    if plan.problem:
        report.add(
            Check(
                "blueprint",
                "Blueprint",
                "warning",
                f"no blueprint to check against: {plan.problem}",
                "relax the answers named above; the quota checks are skipped until a blueprint is eligible",
            )
        )
    if not _region(aws, region, report):
        report.add(
            Check(
                "regional",
                "Regional checks",
                "skipped",
                f"services, quotas and the state bucket were not checked: {region} is not enabled for this account",
            )
        )
        return report
    _services(aws, region, plan, report)
    _app_runner(aws, region, answers, plan, report)
    _quotas(aws, region, answers, plan, report)
    _state_bucket(aws, region, answers, account, report)
    return report


# --- identity and region --------------------------------------------------------------------------------


def _blocked_identity(problem: AwsError) -> Check:
    title = "AWS credentials" if problem.kind == "credentials" else "AWS connection"
    return Check("credentials", title, "blocked", problem.message, problem.fix)


def _identity(aws: Aws, region: str, report: PreflightReport) -> str | None:
    try:
        who = aws.call("sts", control_region(region), "get_caller_identity", "ask STS who you are")
    except AwsError as problem:
        report.add(_blocked_identity(problem))
        return None
    account = str(who.get("Account", ""))
    report.add(Check("credentials", "AWS credentials", "ok", f"account {account} as {who.get('Arn', '?')}"))
    return account


def _region(aws: Aws, region: str, report: PreflightReport) -> bool:
    """Add the region check; return False when the region is not enabled (the regional checks would fail)."""
    home = control_region(region)
    try:
        found = aws.call(
            "ec2",
            home,
            "describe_regions",
            "list the account's regions",
            AllRegions=True,
            RegionNames=[region],
        ).get("Regions", [])
    except AwsError as problem:
        report.add(
            Check(
                "region",
                "Region enabled",
                "warning",
                f"could not check whether {region} is enabled: {problem.message}",
                problem.fix or "check it under Account > AWS Regions in the console",
            )
        )
        return True
    status = str(found[0].get("OptInStatus", "")) if found else ""
    if status in ("opt-in-not-required", "opted-in"):
        how = "opted in" if status == "opted-in" else "enabled by default"
        report.add(Check("region", "Region enabled", "ok", f"{region} is {how} for this account"))
        return True
    if status == "not-opted-in":
        report.add(
            Check(
                "region",
                "Region enabled",
                "blocked",
                f"{region} is an opt-in region that this account has not enabled",
                f"enable it under Account > AWS Regions in the console, or `aws account enable-region "
                f"--region-name {region}` (takes a few minutes), or choose another platform.region",
            )
        )
        return False
    report.add(
        Check(
            "region",
            "Region enabled",
            "blocked",
            f"{region} is not available to this account (status: {status or 'not listed'})",
            "choose another platform.region",
        )
    )
    return False


# --- services -------------------------------------------------------------------------------------------

_SERVICES: tuple[tuple[str, str, str, str, dict[str, Any], str], ...] = (
    ("service.ecs", "ECS on Fargate", "ecs", "list_clusters", {"maxResults": 1}, "ecs_fargate"),
    ("service.eks", "EKS", "eks", "list_clusters", {"maxResults": 1}, "kubernetes"),
    (
        "service.elasticbeanstalk",
        "Elastic Beanstalk",
        "elasticbeanstalk",
        "describe_applications",
        {},
        "elastic_beanstalk",
    ),
)


def _services(aws: Aws, region: str, plan: Plan, report: PreflightReport) -> None:
    for check_id, title, service, operation, params, blueprint in _SERVICES:
        chosen = plan.blueprint == blueprint
        if aws.offered_in(service, region) is False:
            report.add(
                Check(
                    check_id,
                    title,
                    "blocked" if chosen else "warning",
                    f"{title} is not offered in {region}",
                    "choose another platform.region or another blueprint"
                    if chosen
                    else f"matters only if you switch to the {blueprint} blueprint",
                )
            )
            continue
        try:
            aws.call(service, region, operation, f"call {title} in {region}", **params)
        except AwsError as problem:
            report.add(
                Check(
                    check_id,
                    title,
                    "warning" if chosen else "skipped",
                    f"could not verify {title} in {region}: {problem.message}",
                    problem.fix,
                )
            )
            continue
        report.add(Check(check_id, title, "ok", f"available in {region}"))


def _app_runner(aws: Aws, region: str, answers: Answers, plan: Plan, report: PreflightReport) -> None:
    existing = answers.platform.existing_app_runner
    title = "App Runner in use"
    if aws.offered_in("apprunner", region) is False:
        status: Status = "warning" if existing else "skipped"
        report.add(
            Check(
                "app_runner",
                title,
                status,
                f"App Runner is not offered in {region}",
                "set platform.existing_app_runner: false or choose a region with App Runner"
                if existing
                else "",
            )
        )
        return
    try:
        found = aws.call(
            "apprunner", region, "list_services", f"list App Runner services in {region}", MaxResults=20
        )
    except AwsError as problem:
        report.add(
            Check(
                "app_runner",
                title,
                "warning",
                f"could not list App Runner services: {problem.message}",
                problem.fix,
            )
        )
        return
    services = [str(s.get("ServiceName", "?")) for s in found.get("ServiceSummaryList", [])]
    count = f"{len(services)}{'+' if found.get('NextToken') else ''}"
    names = ", ".join(services[:5]) + (", ..." if len(services) > 5 else "")
    if services and not existing:
        report.add(
            Check(
                "app_runner",
                title,
                "warning",
                f"this account runs {count} App Runner service(s) in {region} ({names}), so it can keep "
                f"using App Runner, which is closed to new customers since {APP_RUNNER_CLOSED}",
                "set platform.existing_app_runner: true in the answers file to let the wizard consider App Runner",
            )
        )
    elif services:
        report.add(
            Check(
                "app_runner",
                title,
                "ok",
                f"{count} App Runner service(s) in {region} ({names}): platform.existing_app_runner: true fits",
            )
        )
    elif existing:
        report.add(
            Check(
                "app_runner",
                title,
                "warning",
                f"no App Runner services in {region} (other regions were not checked); App Runner is closed to "
                f"new customers since {APP_RUNNER_CLOSED}, so creating a service fails unless this account "
                "used App Runner before",
                "if the account never used App Runner, set platform.existing_app_runner: false"
                + (
                    " (the wizard then recommends another blueprint)"
                    if plan.blueprint == "app_runner"
                    else ""
                ),
            )
        )
    else:
        report.add(
            Check(
                "app_runner",
                title,
                "ok",
                f"no App Runner services in {region}: platform.existing_app_runner: false fits",
            )
        )


# --- quotas ---------------------------------------------------------------------------------------------


def _eks_nodes(replicas: int, sizing: Sizing) -> int:
    vcpu = 0.0 if sizing.gpu_count else sizing.vcpu
    return max(2, math.ceil(replicas * vcpu / (EKS_NODE_VCPU * 0.75)))


def compute_quotas(answers: Answers, plan: Plan) -> list[Quota]:
    """Return the compute quotas the plan needs (vCPU of Fargate tasks or EC2 instances, both environments)."""
    from wizard.core.cost import pick_instance, price_table

    s, envs, bp = plan.sizing, plan.envs, plan.blueprint
    prod, dev = envs["prod"].max_replicas, envs["dev"].max_replicas
    ceiling = f"({prod} prod + {dev} dev replicas at the scaling ceiling)"
    quotas: list[Quota] = []
    if bp == "ecs_fargate":
        quotas.append(
            Quota(
                "quota.fargate_vcpu",
                "Fargate vCPU quota",
                "fargate",
                "L-3032A538",
                s.vcpu * plan.ceiling,
                f"{s.vcpu:g} vCPU x {plan.ceiling} tasks {ceiling}",
                "vCPU",
                usage_note="running Fargate tasks count against it too",
            )
        )
    gpu_vcpu = 0.0
    standard = 0.0
    standard_basis = ""
    if bp == "kubernetes":
        nodes = _eks_nodes(prod, s) + _eks_nodes(dev, s)
        standard = float(nodes * EKS_NODE_VCPU)
        standard_basis = f"{nodes} t3.xlarge general nodes of {EKS_NODE_VCPU} vCPU (prod and dev)"
        if s.gpu_count:
            gpu_vcpu = float(GPU_NODE_VCPU * plan.ceiling)
    elif bp == "elastic_beanstalk":
        itype = pick_instance(s.vcpu, s.memory_mb, s.gpu_count > 0)
        per = float(price_table()["instance_types"][itype]["vcpu"])
        if s.gpu_count:
            gpu_vcpu = per * plan.ceiling
        else:
            standard = per * plan.ceiling
            standard_basis = f"{plan.ceiling} {itype} instances of {per:g} vCPU {ceiling}"
    if standard:
        quotas.append(
            Quota(
                "quota.ec2_standard_vcpu",
                "EC2 standard vCPU quota",
                "ec2",
                "L-1216C47A",
                standard,
                standard_basis,
                "vCPU",
                usage_note="running instances count against it too",
            )
        )
    if gpu_vcpu:
        quotas.append(
            Quota(
                "quota.ec2_g_vcpu",
                "EC2 G-instance vCPU quota",
                "ec2",
                "L-DB2E81BA",
                gpu_vcpu,
                f"g5.xlarge ({GPU_NODE_VCPU} vCPU, 1 GPU) per replica x {plan.ceiling} {ceiling}",
                "vCPU",
                usage_note="running G and VT instances count against it too",
            )
        )
        quotas.append(
            Quota(
                "quota.ec2_p_vcpu",
                "EC2 P-instance vCPU quota",
                "ec2",
                "L-417A185B",
                0.0,
                "not used by the generated g5 node group; needed only if you move to P instances (A100/H100)",
                "vCPU",
                informational=True,
            )
        )
    return quotas


def _needs_network(answers: Answers, plan: Plan) -> bool:
    return plan.blueprint != "app_runner" or answers.components.database == "postgres"


def _network_usage(aws: Aws, region: str) -> tuple[int | None, int | None, int | None]:
    """Return the VPCs, Elastic IPs and NAT gateways (in the busiest zone) the account has in the region."""

    def attempt(fn: Any) -> int | None:
        try:
            return int(fn())
        except AwsError:
            return None

    def vpcs() -> int:
        return len(aws.call("ec2", region, "describe_vpcs", "list VPCs").get("Vpcs", []))

    def eips() -> int:
        return len(aws.call("ec2", region, "describe_addresses", "list Elastic IPs").get("Addresses", []))

    def nat_busiest_zone() -> int:
        gateways = aws.call(
            "ec2",
            region,
            "describe_nat_gateways",
            "list NAT gateways",
            Filters=[{"Name": "state", "Values": ["pending", "available"]}],
        ).get("NatGateways", [])
        subnets = sorted({str(g["SubnetId"]) for g in gateways if g.get("SubnetId")})
        if not subnets:
            return 0
        zones = {
            str(s["SubnetId"]): str(s.get("AvailabilityZone", "?"))
            for s in aws.call("ec2", region, "describe_subnets", "list subnets", SubnetIds=subnets).get(
                "Subnets", []
            )
        }
        per_zone = Counter(zones.get(str(g.get("SubnetId")), "?") for g in gateways)
        return max(per_zone.values())

    return attempt(vpcs), attempt(eips), attempt(nat_busiest_zone)


def network_quotas(aws: Aws, region: str, answers: Answers, plan: Plan) -> list[Quota]:
    """Return the VPC, Elastic IP and NAT gateway quotas the two environments need, with current use."""
    if not _needs_network(answers, plan):
        return []
    vpcs, eips, nat_zone = _network_usage(aws, region)
    nat_total = plan.envs["dev"].nat_gateways + plan.envs["prod"].nat_gateways
    nat_zone_need = min(1, plan.envs["dev"].nat_gateways) + min(1, plan.envs["prod"].nat_gateways)
    egress = "NAT gateways" if nat_total else "VPC endpoints instead of NAT gateways (regulated data)"
    return [
        Quota(
            "quota.vpcs",
            "VPCs per region",
            "vpc",
            "L-F678F1CE",
            2,
            "one VPC per environment (dev and prod)",
            used=vpcs,
        ),
        Quota(
            "quota.eips",
            "Elastic IPs",
            "ec2",
            "L-0263D0A3",
            nat_total,
            f"one per NAT gateway ({nat_total}: dev {plan.envs['dev'].nat_gateways}, "
            f"prod {plan.envs['prod'].nat_gateways}); egress through {egress}",
            used=eips,
        ),
        Quota(
            "quota.nat_gateways",
            "NAT gateways per zone",
            "vpc",
            "L-FE5A380F",
            nat_zone_need,
            f"dev and prod each put at most one NAT gateway in a zone; egress through {egress}",
            used=nat_zone,
            usage_note="in the busiest zone",
        ),
    ]


def quota_value(aws: Aws, region: str, service_code: str, quota_code: str) -> tuple[float, str]:
    """Return a quota's value for the account (or AWS's default when the account has no own value)."""
    action = f"read the {service_code} quota {quota_code}"
    try:
        got = aws.call(
            "service-quotas",
            region,
            "get_service_quota",
            action,
            ServiceCode=service_code,
            QuotaCode=quota_code,
        )
        return float(got["Quota"]["Value"]), "applied"
    except AwsError as problem:
        if problem.kind != "not_found":
            raise
    got = aws.call(
        "service-quotas",
        region,
        "get_aws_default_service_quota",
        action,
        ServiceCode=service_code,
        QuotaCode=quota_code,
    )
    return float(got["Quota"]["Value"]), "AWS default"


def judge_quota(quota: Quota, value: float, source: str, region: str) -> Check:
    """Compare what the deployment needs with the quota and its current use; say what to request."""
    unit = f" {quota.unit}" if quota.unit else ""
    have = f"quota {value:g}{unit} ({source})"
    if quota.informational:
        return Check(quota.id, quota.title, "ok", f"{have}; {quota.basis}")
    used = quota.used
    if used is None:
        use_text = f"; {quota.usage_note}" if quota.usage_note else "; current use unknown"
        free = value
    else:
        use_text = f"; {used:g} in use" + (f" ({quota.usage_note})" if quota.usage_note else "")
        free = value - used
    detail = f"needs {quota.needed:g}{unit} for {quota.basis}; {have}{use_text}"
    if quota.needed <= free:
        return Check(quota.id, quota.title, "ok", detail)
    desired = math.ceil(quota.needed + (used or 0))
    return Check(
        quota.id,
        quota.title,
        "blocked",
        detail,
        f"request {desired:g}{unit}: aws service-quotas request-service-quota-increase --service-code "
        f"{quota.service_code} --quota-code {quota.quota_code} --desired-value {desired} --region {region}",
    )


def _quotas(aws: Aws, region: str, answers: Answers, plan: Plan, report: PreflightReport) -> None:
    if plan.blueprint is None:
        report.add(
            Check("quotas", "Service quotas", "skipped", "no eligible blueprint to size the quotas for")
        )
        return
    quotas = compute_quotas(answers, plan) + network_quotas(aws, region, answers, plan)
    if not quotas:
        report.add(
            Check(
                "quotas",
                "Service quotas",
                "ok",
                f"the {plan.blueprint} blueprint needs no Fargate, EC2 or VPC quota here",
            )
        )
    for quota in quotas:
        try:
            value, source = quota_value(aws, region, quota.service_code, quota.quota_code)
        except AwsError as problem:
            console = (
                f"https://{region}.console.aws.amazon.com/servicequotas/home/services/"
                f"{quota.service_code}/quotas/{quota.quota_code}"
            )
            need = (
                ""
                if quota.informational
                else f"; the deployment needs {quota.needed:g} {quota.unit}".rstrip()
            )
            report.add(
                Check(
                    quota.id,
                    quota.title,
                    "warning",
                    f"could not read quota {quota.quota_code}: {problem.message}{need}",
                    f"check it at {console}" + (f" ({problem.fix})" if problem.fix else ""),
                )
            )
            continue
        report.add(judge_quota(quota, value, source, region))


# --- remote state ---------------------------------------------------------------------------------------


def _state_bucket(aws: Aws, region: str, answers: Answers, account: str, report: PreflightReport) -> None:
    name = state_bucket_name(answers, account)
    title = "State bucket name"
    try:
        aws.call(
            "s3",
            region,
            "head_bucket",
            f"look up the bucket {name}",
            Bucket=name,
            ExpectedBucketOwner=account,
        )
    except AwsError as problem:
        if problem.code in ("404", "NoSuchBucket", "NotFound"):
            report.add(Check("state_bucket", title, "ok", f"{name} is free; infra/bootstrap creates it"))
        elif problem.code in ("403", "AccessDenied", "Forbidden"):
            report.add(
                Check(
                    "state_bucket",
                    title,
                    "blocked",
                    f"{name} exists but not in this account (or these credentials may not read it); "
                    "bucket names are global",
                    "change project.name (the bucket is {project}-tfstate-{account}); if the bucket is "
                    "yours, allow s3:ListBucket on it",
                )
            )
        else:
            report.add(
                Check(
                    "state_bucket",
                    title,
                    "warning",
                    f"could not check {name}: {problem.message}",
                    problem.fix,
                )
            )
        return
    report.add(
        Check(
            "state_bucket",
            title,
            "ok",
            f"{name} already exists in this account: infra/bootstrap has run before; keep using it",
        )
    )
