"""Provides the Prometheus metrics and the `/metrics` exposition.

Each worker process keeps its own counters. To aggregate across `WEB_CONCURRENCY` workers,
set PROMETHEUS_MULTIPROC_DIR to an empty writable directory before start; `/metrics` then
reports all workers.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests by method, route and status.",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "http_request_duration_seconds",
    "HTTP request latency by method and route.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
PREDICTIONS = Counter(
    "predictions_total",
    "Predictions by outcome (ok, invalid, unavailable, error).",
    ["outcome"],
)
MODEL_LOADED = Gauge(
    "model_loaded",
    "1 when the model is loaded and serving, else 0.",
    multiprocess_mode="livemin",
)
MODEL_LOAD_SECONDS = Gauge(
    "model_load_seconds",
    "How long loading the model took.",
    multiprocess_mode="livemax",
)


def exposition() -> tuple[bytes, str]:
    """Return the metrics in the Prometheus text format and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
