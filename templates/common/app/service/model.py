"""Provides the model: where it comes from (a local path or S3) and how it predicts.

REPLACE ME: `LogisticModel` is a tiny example so the service works out of the box. Replace
it with your own model class (load your framework's artefact in `load`, call it in
`predict`) and keep `ModelLoader`, which fetches the artefact from a local path or an
`s3://bucket/key` URI once at start-up.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.predictor import Prediction

log = logging.getLogger(__name__)


class ModelError(RuntimeError):
    """The model could not be fetched or is not a valid model file."""


@dataclass(frozen=True)
class LogisticModel:
    """REPLACE ME: an example logistic-regression model read from JSON (no numeric libraries)."""

    name: str
    version: str
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5

    @property
    def n_features(self) -> int:
        """Return the number of features the model expects."""
        return len(self.weights)

    @classmethod
    def load(cls, path: Path) -> LogisticModel:
        """Return the model stored in a JSON file (see model/model.json)."""
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            weights = tuple(float(w) for w in data["weights"])
            model = cls(
                name=str(data["name"]),
                version=str(data["version"]),
                weights=weights,
                bias=float(data["bias"]),
                threshold=float(data.get("threshold", 0.5)),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(
                f"{path.name} is not a valid model file: {exc.__class__.__name__}"
            ) from exc
        if not weights or not all(math.isfinite(w) for w in weights):
            raise ModelError(f"{path.name}: weights must be a non-empty list of finite numbers")
        return model

    def predict(self, features: Sequence[float]) -> Prediction:
        """Return the class and the probability of class 1 for one feature vector."""
        if len(features) != self.n_features:
            raise ValueError(f"expected {self.n_features} features, got {len(features)}")
        score = self.bias + math.fsum(w * x for w, x in zip(self.weights, features, strict=True))
        # Numerically stable sigmoid: exp() of a large positive number would overflow.
        if score >= 0:
            probability = 1.0 / (1.0 + math.exp(-score))
        else:
            z = math.exp(score)
            probability = z / (1.0 + z)
        return Prediction(int(probability >= self.threshold), probability, self.version)


class ModelLoader:
    """Fetches a model artefact from a local path or an `s3://bucket/key` URI and loads it."""

    def __init__(
        self, cache_dir: str | Path, s3_client: Any | None = None, region: str = ""
    ) -> None:
        self._cache_dir = Path(cache_dir)
        self._s3_client = s3_client
        self._region = region

    def fetch(self, uri: str) -> Path:
        """Return a local path holding the artefact, downloading it first when `uri` is on S3."""
        if not uri.startswith("s3://"):
            path = Path(uri)
            if not path.is_file():
                raise ModelError(f"model file not found: {uri}")
            return path
        bucket, _, key = uri.removeprefix("s3://").partition("/")
        if not bucket or not key or key.endswith("/"):
            raise ModelError(f"MODEL_URI must be s3://bucket/key, got {uri!r}")
        self._cache_dir.mkdir(parents=True, exist_ok=True)
        target = self._cache_dir / Path(key).name
        client = self._s3_client
        if client is None:
            import boto3  # imported here: the local-path case needs no AWS SDK at start-up

            client = boto3.client("s3", region_name=self._region or None)
        try:
            client.download_file(bucket, key, str(target))
        except Exception as exc:  # botocore raises several unrelated types; all mean "not fetched"
            raise ModelError(f"could not download {uri}: {exc.__class__.__name__}: {exc}") from exc
        log.info("model downloaded", extra={"model_uri": uri, "bytes": target.stat().st_size})
        return target

    def load(self, uri: str) -> LogisticModel:
        """Return the model at `uri`."""
        return LogisticModel.load(self.fetch(uri))
