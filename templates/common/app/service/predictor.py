"""Provides what every model backend returns and raises: the API does not care where it runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Prediction:
    """One prediction: the class, its probability and the model version that produced it."""

    prediction: int
    probability: float
    model_version: str


class PredictionUnavailableError(RuntimeError):
    """The model could not answer (a remote endpoint failed or timed out); the client may retry."""


class Predictor(Protocol):
    """A loaded model, local or remote."""

    @property
    def version(self) -> str:
        """Return the model version reported in every response."""
        ...

    @property
    def n_features(self) -> int | None:
        """Return how many features the model expects, or None when only the model knows."""
        ...

    def predict(self, features: Sequence[float]) -> Prediction:
        """Return the prediction for one feature vector."""
        ...
