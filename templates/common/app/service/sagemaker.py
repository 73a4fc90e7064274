"""Provides the SageMaker backend: predictions come from a SageMaker real-time endpoint.

The endpoint receives `{"features": [...]}` as JSON and must answer
`{"prediction": <int>, "probability": <float>}`. If your model container speaks another
format (CSV, `{"instances": ...}`), change `_request_body` and `_parse` below; the HTTP API
of this service stays the same.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from service.predictor import Prediction, PredictionUnavailableError

log = logging.getLogger(__name__)


def sagemaker_client(
    connect_timeout: float, read_timeout: float, max_attempts: int, region: str = ""
) -> Any:
    """Return a `sagemaker-runtime` client with explicit timeouts and standard-mode retries."""
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        # botocore's `max_attempts` counts retries only; `total_max_attempts` includes the first.
        retries={"mode": "standard", "total_max_attempts": max_attempts},
    )
    return boto3.client("sagemaker-runtime", region_name=region or None, config=config)


class SageMakerPredictor:
    """Calls `InvokeEndpoint` for each prediction."""

    def __init__(self, endpoint_name: str, client: Any) -> None:
        self._endpoint_name = endpoint_name
        self._client = client

    @property
    def version(self) -> str:
        """Return the endpoint name (each prediction adds the variant that answered)."""
        return self._endpoint_name

    @property
    def n_features(self) -> int | None:
        """Return None: only the model behind the endpoint knows how many features it expects."""
        return None

    @staticmethod
    def _request_body(features: Sequence[float]) -> bytes:
        return json.dumps({"features": list(features)}).encode("utf-8")

    @staticmethod
    def _parse(payload: Any) -> tuple[int, float]:
        return int(payload["prediction"]), float(payload["probability"])

    def predict(self, features: Sequence[float]) -> Prediction:
        """Return the endpoint's prediction, or raise PredictionUnavailableError when it fails."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            response = self._client.invoke_endpoint(
                EndpointName=self._endpoint_name,
                ContentType="application/json",
                Accept="application/json",
                Body=self._request_body(features),
            )
            prediction, probability = self._parse(json.loads(response["Body"].read()))
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "unknown")
            log.warning(
                "sagemaker endpoint error",
                extra={"endpoint": self._endpoint_name, "error_code": code},
            )
            raise PredictionUnavailableError(f"endpoint error {code}") from exc
        except BotoCoreError as exc:  # timeouts and connection errors, after the retries
            log.warning(
                "sagemaker endpoint unreachable",
                extra={
                    "endpoint": self._endpoint_name,
                    "error_code": exc.__class__.__name__,
                },
            )
            raise PredictionUnavailableError("endpoint unreachable") from exc
        except (ValueError, KeyError, TypeError) as exc:
            log.warning(
                "sagemaker endpoint answered in an unexpected format",
                extra={"endpoint": self._endpoint_name},
            )
            raise PredictionUnavailableError("unexpected endpoint response") from exc
        variant = response.get("InvokedProductionVariant", "")
        version = f"{self._endpoint_name}/{variant}" if variant else self._endpoint_name
        return Prediction(prediction, probability, version)
