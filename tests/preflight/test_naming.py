"""The state bucket naming scheme, and the core staying free of boto3 at import time."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.preflight.conftest import answers
from wizard.core.answers import region_table
from wizard.core.naming import state_bucket_name, state_bucket_prefix

ROOT = Path(__file__).resolve().parents[2]
S3_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")


def test_scheme() -> None:
    a = answers(platform={"region": "eu-west-1"})
    assert state_bucket_name(a, "123456789012") == "churn-predictor-tfstate-123456789012-eu-west-1"
    assert state_bucket_prefix(a) == "churn-predictor"


@pytest.mark.parametrize("region", region_table()["aws"])
def test_longest_names_fit_every_region(region: str) -> None:
    for name in ("a" * 40, "ab-" + "c" * 37, "a" * 26 + "-" + "b" * 13):
        a = answers(project={"name": name}, platform={"region": region})
        bucket = state_bucket_name(a, "123456789012")
        assert len(bucket) <= 63
        assert S3_NAME.match(bucket), bucket
        assert "--" not in bucket
        assert bucket.endswith(f"-tfstate-123456789012-{region}")


def test_short_names_are_kept_whole() -> None:
    a = answers(project={"name": "a" * 27}, platform={"region": "ap-southeast-7"})
    assert state_bucket_prefix(a) == "a" * 27


def test_core_and_live_prices_import_without_boto3() -> None:
    code = (
        "import json, sys\n"
        "import wizard.core.live_prices, wizard.core.naming, wizard.core.cost\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, timeout=60
    )
    assert json.loads(out.stdout) == []
