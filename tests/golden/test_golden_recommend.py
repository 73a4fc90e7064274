"""Golden JSON for `wizard recommend` on fixture answers. Regenerate deliberately: UPDATE_GOLDEN=1 pytest ..."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from wizard.core.answers import load_answers
from wizard.core.engine import recommend

HERE = Path(__file__).parent / "recommend"
CASES = sorted(p.stem for p in HERE.glob("*.yaml"))


@pytest.mark.parametrize("case", CASES)
def test_recommend_matches_golden(case: str) -> None:
    actual = (
        json.dumps(recommend(load_answers(HERE / f"{case}.yaml")).to_json(), indent=2, ensure_ascii=False)
        + "\n"
    )
    golden = HERE / f"{case}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden file for {case}; run with UPDATE_GOLDEN=1 and review the result"
    assert actual == golden.read_text(encoding="utf-8")


def test_golden_cases_cover_every_blueprint_as_recommendation() -> None:
    winners = {recommend(load_answers(HERE / f"{c}.yaml")).recommended for c in CASES}
    assert winners == {"app_runner", "ecs_fargate", "elastic_beanstalk", "kubernetes"}
