"""Provides the preflight checks: identity, region, services, App Runner use, quotas and the bootstrap buckets.

Each check asks one read-only question of the account and turns the answer, or the failure, into a `Check`
with a status and, unless it is fine, a fix. Nothing here creates or changes anything in the account. The checks
run in a fixed order; when the credentials are missing or AWS cannot be reached, the report holds that one
blocked check. A profile that does not exist is bad input (exit code 2), not a finding.

The quota checks size what the generated Terraform would deploy for the blueprint the answers resolve to (the
`blueprint:` override, else the recommendation): dev and prod at their scaling ceilings, with the instance
types the templates pick, and the extra capacity a deployment starts next to the running one.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from wizard.core.answers import Answers, region_table
from wizard.core.naming import log_bucket_name, state_bucket_name
from wizard.core.posture import Environment, Posture, derive_posture, environments
from wizard.core.sizing import Sizing, size_workload
from wizard.errors import AnswersError, UsageError
from wizard.preflight.aws import Aws, AwsError, ClientHook, control_region
from wizard.preflight.report import Check, PreflightReport, Status

APP_RUNNER_CLOSED = "2026-04-30"
USAGE_WINDOW = timedelta(hours=1)
"""How far back the CloudWatch AWS/Usage metrics are read for the current use of a compute quota."""

# The node types of the generated EKS Terraform (templates/eks/_env/main.tf.j2), smallest first: (type, vCPU,
# MiB). The template takes the smallest type that holds one replica after 1 vCPU and 3 GiB for the system.
EKS_APP_TYPES: dict[str, tuple[tuple[str, int, int], ...]] = {
    "gpu": (
        ("g5.xlarge", 4, 16384),
        ("g5.2xlarge", 8, 32768),
        ("g5.4xlarge", 16, 65536),
        ("g5.8xlarge", 32, 131072),
        ("g5.16xlarge", 64, 262144),
    ),
    "prod": (
        ("m6i.xlarge", 4, 16384),
        ("m6i.2xlarge", 8, 32768),
        ("m6i.4xlarge", 16, 65536),
        ("m6i.8xlarge", 32, 131072),
        ("r6i.8xlarge", 32, 262144),
    ),
    "dev": (
        ("t3.xlarge", 4, 16384),
        ("t3.2xlarge", 8, 32768),
        ("m6i.4xlarge", 16, 65536),
        ("m6i.8xlarge", 32, 131072),
        ("r6i.8xlarge", 32, 262144),
    ),
}
EKS_SYSTEM_NODES: dict[str, tuple[str, int, int]] = {"prod": ("m6i.large", 2, 3), "dev": ("t3.large", 2, 2)}
"""The system node group next to GPU nodes: (type, vCPU, max_size) per environment."""


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
    usage_error: str = ""
    """Why the current use could not be read (the check then warns instead of trusting the free share)."""
    usage_fix: str = ""
    informational: bool = False
    """Reported for context only (never blocks), such as the P-instance quota when g5 nodes are used."""


@dataclass(frozen=True)
class NodeGroup:
    """One EKS managed node group of the generated Terraform, at its maximum size."""

    env: str
    name: str
    instance_type: str
    vcpu: int
    max_size: int
    gpu: bool


@dataclass(frozen=True)
class Plan:
    """What the answers will deploy: the blueprint, replica sizes and the dev/prod environments."""

    blueprint: str | None
    problem: str
    sizing: Sizing
    posture: Posture
    envs: dict[str, Environment]
    single_instance: bool = False
    """Elastic Beanstalk runs one instance with an Elastic IP and no load balancer (tiny budget)."""

    @property
    def ceiling(self) -> int:
        """Return the replicas of dev and prod together at their scaling ceilings."""
        return self.envs["prod"].max_replicas + self.envs["dev"].max_replicas


def make_plan(answers: Answers) -> Plan:
    """Resolve the blueprint (the answers' choice or the recommendation) and size both environments."""
    from wizard.core.cost import single_instance
    from wizard.core.engine import resolve_blueprint

    sizing = size_workload(answers)
    posture = derive_posture(answers)
    envs = environments(answers, sizing.min_replicas, sizing.max_replicas, posture)
    try:
        blueprint, _ = resolve_blueprint(answers)
        problem = ""
    except AnswersError as exc:
        blueprint, problem = None, str(exc)
    single = blueprint == "elastic_beanstalk" and single_instance(answers, posture)
    return Plan(blueprint, problem, sizing, posture, envs, single)


def run_preflight(
    answers: Answers, profile: str | None = None, *, on_client: ClientHook | None = None
) -> PreflightReport:
    """Run every check against the account behind `profile` (or the default credentials) and return the report.

    Never raises for AWS trouble: missing credentials or an unreachable endpoint become one blocked check.
    Raises UsageError (exit code 2) when `profile` (or AWS_PROFILE) names a profile that is not configured.
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
                f"platform.cloud is {cloud}: `wizard preflight` checks an AWS account only, so there is nothing "
                "to check (generating the repository never needs cloud credentials)",
            )
        )
        return report
    plan = make_plan(answers)
    report.blueprint = plan.blueprint
    if cloud == "multi":
        nearest = (
            region_table().get("multi_nearest", {}).get(region, {"gcp": "us-central1", "azure": "eastus"})
        )
        report.add(
            Check(
                "cloud",
                "Cloud",
                "skipped",
                f"platform.cloud is multi: only the AWS part (EKS in {region}) is checked here; the GKE "
                f"({nearest['gcp']}) and AKS ({nearest['azure']}) clusters are not",
            )
        )
    try:
        aws = Aws.connect(profile, on_client)
    except AwsError as problem:
        if problem.code == "ProfileNotFound":
            raise UsageError(_missing_profile(profile)) from None
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
    _bootstrap_buckets(aws, region, answers, account, report)
    return report


def _missing_profile(profile: str | None) -> str:
    if profile:
        where = f"--profile {profile}"
    else:  # botocore takes the profile from AWS_PROFILE, else AWS_DEFAULT_PROFILE
        name = next((n for n in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE") if os.environ.get(n)), "AWS_PROFILE")
        where = f"{name}={os.environ.get(name, '')}"
    return (
        f"{where}: no such AWS profile in the AWS config or credentials file; "
        "`aws configure list-profiles` lists the configured ones"
    )


# --- identity and region --------------------------------------------------------------------------------


def _blocked_identity(problem: AwsError) -> Check:
    title = "AWS credentials" if problem.kind == "credentials" else "AWS connection"
    return Check(
        "credentials",
        title,
        "blocked",
        problem.message,
        problem.fix or "check the credentials with `aws sts get-caller-identity`, then run it again",
    )


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
        # botocore's endpoint list may be older than the region's services: when it lacks the service, the
        # call still decides; only an endpoint that cannot be reached means the service is not there.
        unlisted = aws.offered_in(service, region) is False
        try:
            aws.call(service, region, operation, f"call {title} in {region}", probe=unlisted, **params)
        except AwsError as problem:
            if unlisted and problem.kind == "network":
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
            report.add(
                Check(
                    check_id,
                    title,
                    "warning" if chosen else "skipped",
                    f"could not verify {title} in {region}: {problem.message}",
                    problem.fix or f"check {title} in the console of {region}",
                )
            )
            continue
        report.add(Check(check_id, title, "ok", f"available in {region}"))


def _app_runner(aws: Aws, region: str, answers: Answers, plan: Plan, report: PreflightReport) -> None:
    existing = answers.platform.existing_app_runner
    chosen = plan.blueprint == "app_runner"
    title = "App Runner in use"
    unlisted = aws.offered_in("apprunner", region) is False
    try:
        found = aws.call(
            "apprunner",
            region,
            "list_services",
            f"list App Runner services in {region}",
            probe=unlisted,
            MaxResults=20,
        )
    except AwsError as problem:
        if unlisted and problem.kind == "network":
            status: Status = "blocked" if chosen else ("warning" if existing else "skipped")
            report.add(
                Check(
                    "app_runner",
                    title,
                    status,
                    f"App Runner is not offered in {region}",
                    "choose a region with App Runner, or set `existing_app_runner: false` under `platform:` "
                    "to get another blueprint"
                    if existing or chosen
                    else "",
                )
            )
            return
        report.add(
            Check(
                "app_runner",
                title,
                "warning",
                f"could not list App Runner services: {problem.message}",
                problem.fix or f"look for App Runner services in the console of {region}",
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
                f"using App Runner, which is closed to new customers since {APP_RUNNER_CLOSED}"
                + _app_runner_outlook(answers),
                "to let the wizard consider App Runner, set platform.existing_app_runner: true in the answers "
                "file (the line `existing_app_runner: true` under `platform:`), then run `wizard recommend "
                "--answers FILE` again",
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
                + (" (the wizard then recommends another blueprint)" if chosen else ""),
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


def _app_runner_outlook(answers: Answers) -> str:
    """Say what `existing_app_runner: true` would change in the recommendation."""
    from wizard.core.engine import recommend

    try:
        rec = recommend(answers.with_changes({"platform.existing_app_runner": True}))
    except AnswersError:
        return ""
    assessment = rec.get("app_runner")
    if not assessment.eligible:
        first = assessment.blockers[0]
        reason = first.text.split(" — ")[0]  # the fact without its source
        return f"; even with existing_app_runner: true, App Runner is ruled out by {first.key}: {reason}"
    if rec.recommended == "app_runner":
        outlook = "; with existing_app_runner: true the wizard recommends App Runner"
    else:
        rank = [a.blueprint for a in rec.ranking].index("app_runner") + 1
        outlook = (
            f"; with existing_app_runner: true App Runner becomes eligible (ranked {rank}; "
            f"{rec.recommended} stays first)"
        )
    if answers.blueprint not in ("auto", "app_runner"):
        outlook += f"; the answers pin blueprint: {answers.blueprint}"
    return outlook


# --- quotas ---------------------------------------------------------------------------------------------


def eks_node_groups(sizing: Sizing, env: Environment) -> list[NodeGroup]:
    """Return the EKS node groups the generated Terraform gives one environment (as templates/eks/_env does)."""
    prod = env.name == "prod"
    gpu = sizing.gpu_count > 0
    cpu_request = sizing.vcpu if prod else max(0.25, sizing.vcpu * 0.5)
    types = EKS_APP_TYPES["gpu" if gpu else env.name]
    pick, pick_vcpu, per_node = types[-1][0], types[-1][1], 1
    for name, vcpu, memory in reversed(types):
        fit = min(int((vcpu - 1) / cpu_request), int((memory - 3072) / sizing.memory_mb))
        if fit >= 1:
            pick, pick_vcpu, per_node = name, vcpu, 1 if gpu else fit
    app_min = math.ceil(env.min_replicas / per_node)
    app_max = math.ceil(env.max_replicas / per_node)
    if gpu:
        system, system_vcpu, system_max = EKS_SYSTEM_NODES[env.name]
        return [
            NodeGroup(env.name, "general", system, system_vcpu, system_max, False),
            NodeGroup(env.name, "gpu", pick, pick_vcpu, app_max, True),
        ]
    floor = max(2 if prod else 1, app_min)
    return [NodeGroup(env.name, "general", pick, pick_vcpu, max(floor + 1, app_max + 1), False)]


def _describe(groups: list[NodeGroup]) -> str:
    return " + ".join(f"{g.env} {g.max_size} x {g.instance_type} ({g.vcpu} vCPU)" for g in groups)


def _gpu_quotas(needed: float, basis: str) -> list[Quota]:
    return [
        Quota(
            "quota.ec2_g_vcpu",
            "EC2 G-instance vCPU quota",
            "ec2",
            "L-DB2E81BA",
            needed,
            basis,
            "vCPU",
            usage_note="running G and VT instances count against it too",
        ),
        Quota(
            "quota.ec2_p_vcpu",
            "EC2 P-instance vCPU quota",
            "ec2",
            "L-417A185B",
            0.0,
            "not used by the generated g5 instances; needed only if you move to P instances (A100/H100)",
            "vCPU",
            informational=True,
        ),
    ]


def _standard_quota(needed: float, basis: str) -> Quota:
    return Quota(
        "quota.ec2_standard_vcpu",
        "EC2 standard vCPU quota",
        "ec2",
        "L-1216C47A",
        needed,
        basis,
        "vCPU",
        usage_note="running instances count against it too",
    )


def compute_quotas(answers: Answers, plan: Plan) -> list[Quota]:
    """Return the compute quotas the plan needs: vCPU of Fargate tasks or EC2 instances, dev and prod together.

    Both environments count at their scaling ceilings. ECS (deployment_maximum_percent = 200) and Elastic
    Beanstalk (immutable deployments) start a second set of tasks or instances while deploying, so a prod
    deployment at the ceiling needs that many again.
    """
    from wizard.core.cost import pick_instance, price_table

    s, envs, bp = plan.sizing, plan.envs, plan.blueprint
    prod, dev = envs["prod"].max_replicas, envs["dev"].max_replicas
    quotas: list[Quota] = []
    if bp == "ecs_fargate":
        tasks = prod + dev + prod
        quotas.append(
            Quota(
                "quota.fargate_vcpu",
                "Fargate vCPU quota",
                "fargate",
                "L-3032A538",
                s.vcpu * tasks,
                f"{s.vcpu:g} vCPU x {tasks} tasks ({prod} prod + {dev} dev at the scaling ceiling, + {prod} "
                "while a prod deployment runs both versions)",
                "vCPU",
                usage_note="running Fargate tasks count against it too",
            )
        )
    elif bp == "kubernetes":
        groups = eks_node_groups(s, envs["prod"]) + eks_node_groups(s, envs["dev"])
        standard = [g for g in groups if not g.gpu]
        gpu = [g for g in groups if g.gpu]
        quotas.append(
            _standard_quota(
                float(sum(g.vcpu * g.max_size for g in standard)),
                f"EKS node groups at their maximum size: {_describe(standard)}",
            )
        )
        if gpu:
            quotas += _gpu_quotas(
                float(sum(g.vcpu * g.max_size for g in gpu)),
                f"EKS GPU node groups at their maximum size, one replica per node: {_describe(gpu)}",
            )
    elif bp == "elastic_beanstalk":
        itype = pick_instance(s.vcpu, s.memory_mb, s.gpu_count > 0)
        per = float(price_table()["instance_types"][itype]["vcpu"])
        if plan.single_instance:
            count = 3
            basis = (
                f"{count} {itype} instances of {per:g} vCPU (single-instance mode: 1 prod + 1 dev, + 1 while a "
                "deployment replaces one)"
            )
        else:
            count = prod + dev + prod
            basis = (
                f"{count} {itype} instances of {per:g} vCPU ({prod} prod + {dev} dev at the scaling ceiling, "
                f"+ {prod} while an immutable prod deployment runs both versions)"
            )
        if s.gpu_count:
            quotas += _gpu_quotas(per * count, basis)
        else:
            quotas.append(_standard_quota(per * count, basis))
    return quotas


def _network_need(answers: Answers, plan: Plan) -> tuple[bool, dict[str, int], dict[str, int], str]:
    """Return whether the blueprint builds VPCs, the NAT gateways and Elastic IPs per environment, and why."""
    db = answers.components.database == "postgres"
    nat = {name: env.nat_gateways for name, env in plan.envs.items()}
    egress = "NAT gateways" if any(nat.values()) else "VPC endpoints instead of NAT gateways (regulated data)"
    if plan.blueprint == "app_runner":
        sensitive_model = answers.components.model_hosting == "sagemaker" and plan.posture.sensitive
        vpc = db or not plan.posture.public_api or sensitive_model
        nat = {name: (n if db else 0) for name, n in nat.items()}
        egress = "NAT gateways for the VPC connector" if db and any(nat.values()) else "no NAT gateway"
        return vpc, nat, dict(nat), egress
    if plan.single_instance:
        nat = {name: 0 for name in nat}
        return True, nat, {name: 1 for name in nat}, "the single instance's own Elastic IP, no NAT gateway"
    return True, nat, dict(nat), egress


def _network_usage(aws: Aws, region: str) -> tuple[tuple[int | None, str, str], ...]:
    """Return (count or None, why not, fix) for the VPCs, Elastic IPs and NAT gateways (busiest zone) in use."""

    def attempt(fn: Any) -> tuple[int | None, str, str]:
        try:
            return int(fn()), "", ""
        except AwsError as problem:
            return None, problem.message, problem.fix

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
    vpc, nat, eip, egress = _network_need(answers, plan)
    if not vpc:
        return []
    (vpcs, vpcs_err, vpcs_fix), (eips, eips_err, eips_fix), (nat_zone, nat_err, nat_fix) = _network_usage(
        aws, region
    )
    nat_zone_need = min(1, nat["dev"]) + min(1, nat["prod"])
    eip_total = eip["dev"] + eip["prod"]
    eip_basis = (
        f"{eip_total}: dev {eip['dev']}, prod {eip['prod']}; egress through {egress}"
        if plan.single_instance
        else f"one per NAT gateway ({eip_total}: dev {eip['dev']}, prod {eip['prod']}); egress through {egress}"
    )
    return [
        Quota(
            "quota.vpcs",
            "VPCs per region",
            "vpc",
            "L-F678F1CE",
            2,
            "one VPC per environment (dev and prod)",
            used=vpcs,
            usage_error=vpcs_err,
            usage_fix=vpcs_fix,
        ),
        Quota(
            "quota.eips",
            "Elastic IPs",
            "ec2",
            "L-0263D0A3",
            eip_total,
            eip_basis,
            used=eips,
            usage_error=eips_err,
            usage_fix=eips_fix,
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
            usage_error=nat_err,
            usage_fix=nat_fix,
        ),
    ]


def quota_value(
    aws: Aws, region: str, service_code: str, quota_code: str
) -> tuple[float, str, dict[str, Any]]:
    """Return a quota's value, where it comes from and the quota's usage metric ({} when it names none).

    The value is the account's own, or AWS's default when the account has none.
    """
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
        source = "applied"
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
        source = "AWS default"
    quota = got["Quota"]
    return float(quota["Value"]), source, dict(quota.get("UsageMetric") or {})


def quota_usage(aws: Aws, region: str, metric: dict[str, Any], now: datetime | None = None) -> float:
    """Return the highest use of a quota in the last hour from its CloudWatch usage metric (AWS/Usage).

    CloudWatch reports nothing while nothing uses the quota, so no data points count as 0.
    """
    statistic = str(metric.get("MetricStatisticRecommendation") or "Maximum")
    if statistic not in ("SampleCount", "Average", "Sum", "Minimum", "Maximum"):
        statistic = "Maximum"
    end = now or datetime.now(UTC)
    got = aws.call(
        "cloudwatch",
        region,
        "get_metric_statistics",
        "read the quota's usage from CloudWatch",
        Namespace=str(metric["MetricNamespace"]),
        MetricName=str(metric["MetricName"]),
        Dimensions=[
            {"Name": k, "Value": str(v)} for k, v in sorted(metric.get("MetricDimensions", {}).items())
        ],
        StartTime=end - USAGE_WINDOW,
        EndTime=end,
        Period=300,
        Statistics=[statistic],
    )
    return max((float(p.get(statistic, 0)) for p in got.get("Datapoints", [])), default=0.0)


def _with_usage(aws: Aws, region: str, quota: Quota, metric: dict[str, Any]) -> Quota:
    """Fill in the current use of a compute quota from CloudWatch (or say why it is unknown)."""
    if quota.informational or quota.used is not None or not metric.get("MetricNamespace"):
        return quota
    try:
        used = quota_usage(aws, region, metric)
    except (AwsError, KeyError, TypeError, ValueError) as exc:
        problem = exc if isinstance(exc, AwsError) else AwsError("other", f"unreadable usage metric ({exc})")
        return dataclasses.replace(quota, usage_error=problem.message, usage_fix=problem.fix)
    return dataclasses.replace(quota, used=used, usage_note="the most in the last hour, from CloudWatch")


def _console(region: str, quota: Quota) -> str:
    return (
        f"https://{region}.console.aws.amazon.com/servicequotas/home/services/"
        f"{quota.service_code}/quotas/{quota.quota_code}"
    )


def judge_quota(quota: Quota, value: float, source: str, region: str) -> Check:
    """Compare what the deployment needs with the quota and its current use; say what to request."""
    unit = f" {quota.unit}" if quota.unit else ""
    have = f"quota {value:g}{unit} ({source})"
    if quota.informational:
        return Check(quota.id, quota.title, "ok", f"{have}; {quota.basis}")
    used = quota.used
    if used is None:
        if quota.usage_error:
            use_text = f"; current use unknown: {quota.usage_error}"
        else:
            use_text = f"; {quota.usage_note}" if quota.usage_note else "; current use unknown"
        free = value
    else:
        use_text = f"; {used:g} in use" + (f" ({quota.usage_note})" if quota.usage_note else "")
        free = value - used
    detail = f"needs {quota.needed:g}{unit} for {quota.basis}; {have}{use_text}"
    if quota.needed <= free:
        if used is None and quota.usage_error and quota.needed > 0:
            return Check(
                quota.id,
                quota.title,
                "warning",
                detail,
                f"make sure {quota.needed:g}{unit} of the {value:g} are free: {_console(region, quota)}"
                + (f" ({quota.usage_fix})" if quota.usage_fix else ""),
            )
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
            value, source, metric = quota_value(aws, region, quota.service_code, quota.quota_code)
        except AwsError as problem:
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
                    f"check it at {_console(region, quota)}" + (f" ({problem.fix})" if problem.fix else ""),
                )
            )
            continue
        report.add(judge_quota(_with_usage(aws, region, quota, metric), value, source, region))


# --- the buckets infra/bootstrap creates ----------------------------------------------------------------


def _bucket_state(aws: Aws, region: str, name: str, account: str) -> tuple[str, str, str]:
    """Return (state, where or why, fix) of a bucket name.

    The state is free, ours, ours_elsewhere (another region), ours_unreadable, taken or unknown.
    """
    try:
        got = aws.call(
            "s3",
            region,
            "head_bucket",
            f"look up the bucket {name}",
            Bucket=name,
            ExpectedBucketOwner=account,
        )
    except AwsError as problem:
        if problem.code in ("404", "NoSuchBucket", "NotFound"):
            return "free", "", ""
        if problem.code not in ("403", "AccessDenied", "Forbidden"):
            return (
                "unknown",
                problem.message,
                problem.fix
                or f"check it with `aws s3api head-bucket --bucket {name} --expected-bucket-owner {account}`",
            )
        # 403: someone else's bucket (the expected owner does not match), or ours without s3:ListBucket on it.
        try:
            mine = aws.call("s3", region, "list_buckets", "list this account's buckets", Prefix=name)
        except AwsError as listing:
            return (
                "unknown",
                f"it exists, and whose it is could not be told ({listing.message})",
                "if the bucket is not this account's, change project.name; if it is, allow s3:ListBucket on it "
                "(and s3:ListAllMyBuckets, so the preflight can tell)",
            )
        if any(b.get("Name") == name for b in mine.get("Buckets", [])):
            return "ours_unreadable", "", ""
        return "taken", "", ""
    headers = got.get("ResponseMetadata", {}).get("HTTPHeaders", {})
    where = str(got.get("BucketRegion") or headers.get("x-amz-bucket-region") or region)
    return ("ours" if where == region else "ours_elsewhere"), where, ""


def _bucket_check(check_id: str, title: str, name: str, state: tuple[str, str, str], region: str) -> Check:
    kind, info, fix = state
    if kind == "free":
        return Check(check_id, title, "ok", f"{name} is free; infra/bootstrap creates it")
    if kind == "ours":
        return Check(
            check_id,
            title,
            "ok",
            f"{name} already exists in this account: infra/bootstrap has run before; keep using it",
        )
    if kind == "ours_elsewhere":
        return Check(
            check_id,
            title,
            "warning",
            f"{name} already exists in this account, but in {info}, not {region}",
            f"set `region` to {info} in infra/bootstrap (variables.tf) and in the environments' backend.hcl, "
            "or delete the bucket if it holds nothing",
        )
    if kind == "ours_unreadable":
        return Check(
            check_id,
            title,
            "warning",
            f"{name} belongs to this account, but these credentials may not read it (HeadBucket: 403)",
            f"allow s3:ListBucket on arn:aws:s3:::{name} for the role that runs Terraform",
        )
    if kind == "taken":
        return Check(
            check_id,
            title,
            "blocked",
            f"{name} is taken by another AWS account (bucket names are global)",
            "change project.name: the bootstrap names its buckets {project}-tfstate-{account} and "
            "{project}-tflogs-{account}",
        )
    return Check(check_id, title, "warning", f"could not check {name}: {info}", fix)


def _bootstrap_buckets(
    aws: Aws, region: str, answers: Answers, account: str, report: PreflightReport
) -> None:
    state_name, log_name = state_bucket_name(answers, account), log_bucket_name(answers, account)
    state = _bucket_state(aws, region, state_name, account)
    report.add(_bucket_check("state_bucket", "State bucket name", state_name, state, region))
    logs = _bucket_state(aws, region, log_name, account)
    check = _bucket_check("log_bucket", "State log bucket name", log_name, logs, region)
    if state[0] == "free" and logs[0] in ("ours", "ours_elsewhere", "ours_unreadable"):
        # Left over from an earlier bootstrap whose state bucket is gone: creating it again fails.
        check = Check(
            "log_bucket",
            check.title,
            "warning",
            f"{log_name} is left from an earlier infra/bootstrap whose state bucket is gone, so creating it "
            "again fails",
            f"import it (`terraform import module.logs_bucket.aws_s3_bucket.this {log_name}` in infra/bootstrap) "
            "or delete it, then apply infra/bootstrap",
        )
    report.add(check)
