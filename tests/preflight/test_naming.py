"""The state bucket naming scheme, and the core staying free of boto3 at import time."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.preflight.conftest import answers
from wizard.core.naming import log_bucket_name, state_bucket_name

ROOT = Path(__file__).resolve().parents[2]
S3_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")


def test_scheme() -> None:
    a = answers(platform={"region": "eu-west-1"})
    assert state_bucket_name(a, "123456789012") == "churn-predictor-tfstate-123456789012"


@pytest.mark.parametrize("name", ["a" * 40, "ab-" + "c" * 37, "abc"])
def test_longest_names_fit(name: str) -> None:
    for bucket in (
        state_bucket_name(answers(project={"name": name}), "123456789012"),
        log_bucket_name(answers(project={"name": name}), "123456789012"),
    ):
        assert len(bucket) <= 63
        assert S3_NAME.match(bucket), bucket


def test_bootstrap_terraform_builds_the_same_name() -> None:
    from wizard.core.answers import parse_answers
    from wizard.core.render import render

    files = {
        f.path: f.content
        for f in render(parse_answers({"project": {"name": "churn-predictor"}}), "ecs_fargate")
    }
    main = files["infra/bootstrap/main.tf"]
    assert 'bucket_name             = "${var.project}-tfstate-${local.account_id}"' in main
    assert 'default     = "churn-predictor"' in files["infra/bootstrap/variables.tf"]
    backend = files["infra/environments/dev/backend.hcl"]
    assert 'bucket       = "churn-predictor-tfstate-ACCOUNT_ID"' in backend
    # The state bucket's access-log bucket, which preflight checks too.
    assert 'bucket_name     = "${var.project}-tflogs-${local.account_id}"' in main
    a = answers()
    assert log_bucket_name(a, "123456789012") == "churn-predictor-tflogs-123456789012"


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
