"""Recorded-shape AWS Pricing API answers (GetProducts, FormatVersion aws_v1) for eu-west-1.

Each `PriceList` entry is a JSON *string*, as the API returns it: product (family, attributes, sku), serviceCode,
terms (OnDemand, and Reserved for EC2), version, publicationDate. The prices are eu-west-1 list prices.
"""

from __future__ import annotations

import json
from typing import Any

REGION = "eu-west-1"
LOCATION = "EU (Ireland)"
PUBLISHED = "2026-11-20T18:21:04Z"
VERSION = "20261120182104"

# The first entry of the EC2 answer, verbatim in shape (one line in the real answer, wrapped here).
T3_MICRO = (
    '{"product":{"productFamily":"Compute Instance","attributes":{"enhancedNetworkingSupported":"Yes",'
    '"intelTurboAvailable":"Yes","memory":"1 GiB","dedicatedEbsThroughput":"Up to 2085 Mbps","vcpu":"2",'
    '"classicnetworkingsupport":"false","capacitystatus":"Used","locationType":"AWS Region","storage":"EBS only",'
    '"instanceFamily":"General purpose","operatingSystem":"Linux","intelAvx2Available":"Yes",'
    '"regionCode":"eu-west-1","physicalProcessor":"Intel Skylake E5 2686 v5","clockSpeed":"3.1 GHz",'
    '"ecu":"Variable","networkPerformance":"Up to 5 Gigabit","servicename":"Amazon Elastic Compute Cloud",'
    '"gpuMemory":"NA","vpcnetworkingsupport":"true","instanceType":"t3.micro","tenancy":"Shared",'
    '"usagetype":"EU-BoxUsage:t3.micro","normalizationSizeFactor":"0.5","intelAvxAvailable":"Yes",'
    '"processorFeatures":"AVX; AVX2; Intel AVX; Intel AVX2; Intel AVX512; Intel Turbo","servicecode":"AmazonEC2",'
    '"licenseModel":"No License required","currentGeneration":"Yes","preInstalledSw":"NA",'
    '"location":"EU (Ireland)","processorArchitecture":"64-bit","marketoption":"OnDemand",'
    '"operation":"RunInstances","availabilityzone":"NA"},"sku":"4VHVNDZS6DTM7RQD"},"serviceCode":"AmazonEC2",'
    '"terms":{"OnDemand":{"4VHVNDZS6DTM7RQD.JRTCKXETXF":{"priceDimensions":{'
    '"4VHVNDZS6DTM7RQD.JRTCKXETXF.6YS6EN2CT7":{"unit":"Hrs","endRange":"Inf",'
    '"description":"$0.0114 per On Demand Linux t3.micro Instance Hour","appliesTo":[],'
    '"rateCode":"4VHVNDZS6DTM7RQD.JRTCKXETXF.6YS6EN2CT7","beginRange":"0","pricePerUnit":{"USD":"0.0114000000"}}},'
    '"sku":"4VHVNDZS6DTM7RQD","effectiveDate":"2026-11-01T00:00:00Z","offerTermCode":"JRTCKXETXF",'
    '"termAttributes":{}}},"Reserved":{"4VHVNDZS6DTM7RQD.6QCMYABX3D":{"priceDimensions":{'
    '"4VHVNDZS6DTM7RQD.6QCMYABX3D.2TG2D8R56U":{"unit":"Quantity","description":"Upfront Fee","appliesTo":[],'
    '"rateCode":"4VHVNDZS6DTM7RQD.6QCMYABX3D.2TG2D8R56U","pricePerUnit":{"USD":"59"}}},'
    '"sku":"4VHVNDZS6DTM7RQD","effectiveDate":"2026-11-01T00:00:00Z","offerTermCode":"6QCMYABX3D",'
    '"termAttributes":{"LeaseContractLength":"1yr","OfferingClass":"standard","PurchaseOption":"All Upfront"}}}},'
    '"version":"20261120182104","publicationDate":"2026-11-20T18:21:04Z"}'
)


def product(
    service_code: str,
    family: str,
    sku: str,
    usd: str,
    unit: str,
    description: str,
    **attributes: str,
) -> str:
    """One PriceList entry (a JSON string) with a single on-demand price dimension."""
    term = f"{sku}.JRTCKXETXF"
    rate = f"{term}.6YS6EN2CT7"
    item: dict[str, Any] = {
        "product": {
            "productFamily": family,
            "attributes": {
                "regionCode": REGION,
                "location": LOCATION,
                "locationType": "AWS Region",
                "servicecode": service_code,
                **attributes,
            },
            "sku": sku,
        },
        "serviceCode": service_code,
        "terms": {
            "OnDemand": {
                term: {
                    "priceDimensions": {
                        rate: {
                            "unit": unit,
                            "endRange": "Inf",
                            "description": description,
                            "appliesTo": [],
                            "rateCode": rate,
                            "beginRange": "0",
                            "pricePerUnit": {"USD": usd},
                        }
                    },
                    "sku": sku,
                    "effectiveDate": "2026-11-01T00:00:00Z",
                    "offerTermCode": "JRTCKXETXF",
                    "termAttributes": {},
                }
            }
        },
        "version": VERSION,
        "publicationDate": PUBLISHED,
    }
    return json.dumps(item, separators=(",", ":"))


def ec2_instance(instance: str, sku: str, usd: str) -> str:
    return product(
        "AmazonEC2",
        "Compute Instance",
        sku,
        usd,
        "Hrs",
        f"${float(usd):.4f} per On Demand Linux {instance} Instance Hour",
        instanceType=instance,
        operatingSystem="Linux",
        tenancy="Shared",
        preInstalledSw="NA",
        capacitystatus="Used",
        licenseModel="No License required",
        usagetype=f"EU-BoxUsage:{instance}",
        operation="RunInstances",
    )


ECS = [
    product(
        "AmazonECS",
        "Compute",
        "8CESGAFWKAJ98PME",
        "0.0404800000",
        "hours",
        "AWS Fargate - vCPU - EU (Ireland)",
        usagetype="EU-Fargate-vCPU-Hours:perCPU",
        operation="",
        cputype="perCPU",
    ),
    product(
        "AmazonECS",
        "Compute",
        "Q8DX4PXHDZ3HVBZM",
        "0.0323800000",
        "hours",
        "AWS Fargate - ARM - vCPU - EU (Ireland)",
        usagetype="EU-Fargate-ARM-vCPU-Hours:perCPU",
        operation="",
    ),
    product(
        "AmazonECS",
        "Compute",
        "TTY3ZMJNHKR2SVSR",
        "0.0044450000",
        "hours",
        "AWS Fargate - Memory - EU (Ireland)",
        usagetype="EU-Fargate-GB-Hours",
        operation="",
        memorytype="perGB",
    ),
    product(
        "AmazonECS",
        "Compute",
        "6U4GCQ5Z8R3W2Y9T",
        "0.0001110000",
        "GB-Hours",
        "AWS Fargate - Ephemeral Storage - EU (Ireland)",
        usagetype="EU-Fargate-EphemeralStorage-GB-Hours",
        operation="",
    ),
]

EC2 = [
    T3_MICRO,
    ec2_instance("t3.small", "QS5E8R2H2GBSRWNB", "0.0228000000"),
    ec2_instance("t3.medium", "ZQ7A8AH2R86B8Q4J", "0.0456000000"),
    ec2_instance("t3.large", "BHZAYFBJPSB7V2ST", "0.0912000000"),
    ec2_instance("t3.xlarge", "C8Q2MSGFXZ2ZR37J", "0.1824000000"),
    ec2_instance("t3.2xlarge", "P9YG4P6JH7TDF6FE", "0.3648000000"),
    ec2_instance("g5.xlarge", "FJQ6V4YM3XRRZ5N6", "1.1230000000"),
]

NAT = [
    product(
        "AmazonEC2",
        "NAT Gateway",
        "P6Q7W5BU3T9GEN4M",
        "0.0480000000",
        "Hrs",
        "$0.048 per NAT Gateway Hour",
        usagetype="EU-NatGateway-Hours",
        operation="NatGateway",
        group="NGW:NatGateway",
    ),
    product(
        "AmazonEC2",
        "NAT Gateway",
        "UJ2VYW5Y4G2KD7Q6",
        "0.0480000000",
        "GB",
        "$0.048 per GB Data Processed by NAT Gateways",
        usagetype="EU-NatGateway-Bytes",
        operation="NatGateway",
        group="NGW:NatGateway",
    ),
]

ELB = [
    product(
        "AWSELB",
        "Load Balancer-Application",
        "ZQ5KFMGPVAAN8VKY",
        "0.0252000000",
        "Hrs",
        "$0.0252 per Application LoadBalancer-hour (or partial hour)",
        usagetype="EU-LoadBalancerUsage",
        operation="LoadBalancing:Application",
        groupDescription="LoadBalancer hourly usage by Application Load Balancer",
    ),
    product(
        "AWSELB",
        "Load Balancer-Application",
        "M8DZ8PAFJ5T7BPMN",
        "0.0080000000",
        "LCU-Hrs",
        "$0.008 per used Application load balancer capacity unit-hour (or partial hour)",
        usagetype="EU-LCUUsage",
        operation="LoadBalancing:Application",
    ),
    product(
        "AWSELB",
        "Load Balancer-Application",
        "Y5Y4ZB7DWK7H3DKK",
        "0.0055000000",
        "Hrs",
        "Traffic shaping",
        usagetype="EU-TS-LoadBalancerUsage",
        operation="LoadBalancing:Application",
    ),
]

VPC = [
    product(
        "AmazonVPC",
        "VpcEndpoint",
        "D3RVZTAT7W2TTC7M",
        "0.0110000000",
        "Hrs",
        "$0.011 per VPC Endpoint Hour",
        usagetype="EU-VpcEndpoint-Hours",
        operation="VpcEndpoint",
    ),
    product(
        "AmazonVPC",
        "VPC Public IPv4 Address",
        "UWYCM5T7A6YPVXKW",
        "0.0050000000",
        "Hrs",
        "$0.005 per In-use public IPv4 address per hour",
        usagetype="EU-PublicIPv4:InUseAddress",
        operation="",
    ),
    product(
        "AmazonVPC",
        "VPC Public IPv4 Address",
        "7BN8RX9BDE3ZXQ2F",
        "0.0050000000",
        "Hrs",
        "$0.005 per Idle public IPv4 address per hour",
        usagetype="EU-PublicIPv4:IdleAddress",
        operation="",
    ),
]

EXPECTED = {
    "fargate_vcpu_hour": 0.04048,
    "fargate_gb_hour": 0.004445,
    "ec2_t3_micro_hour": 0.0114,
    "ec2_t3_small_hour": 0.0228,
    "ec2_t3_medium_hour": 0.0456,
    "ec2_t3_large_hour": 0.0912,
    "ec2_t3_xlarge_hour": 0.1824,
    "ec2_t3_2xlarge_hour": 0.3648,
    "ec2_g5_xlarge_hour": 1.123,
    "nat_gateway_hour": 0.048,
    "nat_gateway_gb": 0.048,
    "alb_hour": 0.0252,
    "alb_lcu_hour": 0.008,
    "public_ipv4_hour": 0.005,
    "vpc_interface_endpoint_hour": 0.011,
}


def region_filter(region: str = REGION) -> dict[str, str]:
    return {"Type": "TERM_MATCH", "Field": "regionCode", "Value": region}


def expected_requests(region: str = REGION) -> list[tuple[dict[str, Any], list[str]]]:
    """The five GetProducts requests of a refresh, in order, each with its recorded answer."""

    def req(service: str, *filters: tuple[str, str, str]) -> dict[str, Any]:
        return {
            "ServiceCode": service,
            "Filters": [region_filter(region)] + [{"Type": t, "Field": f, "Value": v} for t, f, v in filters],
            "FormatVersion": "aws_v1",
            "MaxResults": 100,
        }

    return [
        (req("AmazonECS", ("TERM_MATCH", "productFamily", "Compute")), ECS),
        (
            req(
                "AmazonEC2",
                ("TERM_MATCH", "productFamily", "Compute Instance"),
                ("TERM_MATCH", "operatingSystem", "Linux"),
                ("TERM_MATCH", "tenancy", "Shared"),
                ("TERM_MATCH", "preInstalledSw", "NA"),
                ("TERM_MATCH", "capacitystatus", "Used"),
                ("TERM_MATCH", "licenseModel", "No License required"),
                (
                    "ANY_OF",
                    "instanceType",
                    "g5.xlarge,t3.2xlarge,t3.large,t3.medium,t3.micro,t3.small,t3.xlarge",
                ),
            ),
            EC2,
        ),
        (req("AmazonEC2", ("TERM_MATCH", "productFamily", "NAT Gateway")), NAT),
        (req("AWSELB", ("TERM_MATCH", "productFamily", "Load Balancer-Application")), ELB),
        (req("AmazonVPC"), VPC),
    ]
