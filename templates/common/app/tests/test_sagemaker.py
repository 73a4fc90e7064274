"""Tests the SageMaker backend with botocore's Stubber (no endpoint is called)."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber
from fastapi.testclient import TestClient

from service.predictor import PredictionUnavailableError
from service.sagemaker import SageMakerPredictor, sagemaker_client
from service.settings import Settings

FEATURES = [0.5, 1.5, -2.0]


def _body(payload: bytes) -> StreamingBody:
    return StreamingBody(io.BytesIO(payload), len(payload))


def _expected_params(endpoint: str, features: list[float]) -> dict[str, Any]:
    return {
        "EndpointName": endpoint,
        "ContentType": "application/json",
        "Accept": "application/json",
        "Body": json.dumps({"features": features}).encode(),
    }


def test_the_endpoint_is_called_with_json(
    predictor: SageMakerPredictor, stubber: Stubber, settings: Settings
) -> None:
    endpoint = settings.sagemaker_endpoint_name
    payload = json.dumps({"prediction": 0, "probability": 0.12}).encode()
    stubber.add_response(
        "invoke_endpoint",
        {
            "Body": _body(payload),
            "ContentType": "application/json",
            "InvokedProductionVariant": "blue",
        },
        _expected_params(endpoint, FEATURES),
    )
    result = predictor.predict(FEATURES)
    assert (result.prediction, result.probability, result.model_version) == (
        0,
        0.12,
        f"{endpoint}/blue",
    )
    stubber.assert_no_pending_responses()


@pytest.mark.parametrize(
    ("code", "status"),
    [("ModelError", 424), ("ServiceUnavailable", 503), ("ValidationError", 400)],
)
def test_endpoint_errors_become_unavailable(
    predictor: SageMakerPredictor, stubber: Stubber, code: str, status: int
) -> None:
    stubber.add_client_error("invoke_endpoint", service_error_code=code, http_status_code=status)
    with pytest.raises(PredictionUnavailableError, match=code):
        predictor.predict(FEATURES)


@pytest.mark.parametrize(
    "payload",
    [b"not json", b'{"label": "cat"}', b'{"prediction": "x", "probability": 1}'],
)
def test_unexpected_answers_become_unavailable(
    predictor: SageMakerPredictor, stubber: Stubber, payload: bytes
) -> None:
    stubber.add_response("invoke_endpoint", {"Body": _body(payload)})
    with pytest.raises(PredictionUnavailableError):
        predictor.predict(FEATURES)


def test_the_api_answers_503_when_the_endpoint_fails(client: TestClient, stubber: Stubber) -> None:
    stubber.add_client_error(
        "invoke_endpoint", service_error_code="ModelError", http_status_code=424
    )
    response = client.post("/predict", json={"features": FEATURES})
    assert response.status_code == 503
    assert "retry" in response.json()["detail"]
    assert 'predictions_total{outcome="unavailable"}' in client.get("/metrics").text


def test_the_client_has_timeouts_and_retries() -> None:
    client = sagemaker_client(
        connect_timeout=1.5, read_timeout=7.0, max_attempts=3, region="eu-west-1"
    )
    config = client.meta.config
    assert (config.connect_timeout, config.read_timeout) == (1.5, 7.0)
    assert config.retries["mode"] == "standard"
    assert config.retries["total_max_attempts"] == 3
    assert client.meta.region_name == "eu-west-1"
