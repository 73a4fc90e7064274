"""Provides the request and response models of the HTTP API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat

MAX_FEATURES = 10_000


class PredictRequest(BaseModel):
    """One feature vector to score."""

    model_config = ConfigDict(extra="forbid")

    features: list[FiniteFloat] = Field(min_length=1, max_length=MAX_FEATURES)
    """The model's input features, in the order the model was trained on."""


class PredictResponse(BaseModel):
    """The model's answer for one feature vector."""

    prediction: int
    """The predicted class (0 or 1 for the example model)."""
    probability: float = Field(ge=0.0, le=1.0)
    """The probability of class 1."""
    model_version: str


class HealthResponse(BaseModel):
    """The liveness answer."""

    status: str


class ReadyResponse(BaseModel):
    """The readiness answer, with one entry per dependency."""

    status: str
    checks: dict[str, bool]
