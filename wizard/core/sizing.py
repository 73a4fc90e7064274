"""Provides the compute sizing heuristic: from peak rps, latency target and model size to replicas and task size.

The heuristic, in words (the generated README repeats it so a consultant can defend the numbers):
- One CPU prediction takes about 5 ms plus 0.2 ms per MB of model (a 100 MB model: 25 ms), but never less
  than a quarter of the p95 target allows for (the target bounds it from above: a slower model misses it);
  a GPU makes it ten times faster.
- A worker serves one request at a time, so `1000 / service_ms` requests per second; we plan for 70 %
  utilisation.
- A loaded model takes about twice its artefact size in memory, per worker; the runtime needs 512 MB more.
- Large models (over 2 GB in memory) run one worker per replica to keep memory bounded.
- Replicas get 0.5, 1, 2 or 4 vCPU (one worker per vCPU, at least one), memory rounded up to a Fargate-valid size.
- Production keeps at least two replicas (two availability zones); batch and scheduled work keeps one.
- With a GPU each replica holds one GPU, which serves about ten times the CPU throughput.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from wizard.core.answers import Answers

TARGET_UTILISATION = 0.7
RUNTIME_OVERHEAD_MB = 512
MODEL_MEMORY_FACTOR = 2
GPU_SPEEDUP = 10
LARGE_MODEL_MB = 2048
MAX_REPLICAS = 100
SAGEMAKER_CONCURRENCY = 20
BASE_SERVICE_MS = 5.0
MS_PER_MODEL_MB = 0.2

# Fargate-valid memory (MiB) per vCPU size, from aws-facts F10.
FARGATE_MEMORY = {
    0.25: (512, 1024, 2048),
    0.5: tuple(range(1024, 4096 + 1, 1024)),
    1.0: tuple(range(2048, 8192 + 1, 1024)),
    2.0: tuple(range(4096, 16384 + 1, 1024)),
    4.0: tuple(range(8192, 30720 + 1, 1024)),
    8.0: tuple(range(16384, 61440 + 1, 4096)),
    16.0: tuple(range(32768, 122880 + 1, 8192)),
}


@dataclass(frozen=True)
class Sizing:
    """What one replica needs and how many replicas the service needs."""

    vcpu: float
    memory_mb: int
    workers: int
    """Server worker processes per replica."""
    gpu_count: int
    model_memory_mb: int
    """Memory one loaded copy of the model needs (about twice the artefact)."""
    min_replicas: int
    """Production floor (two zones for online traffic)."""
    peak_replicas: int
    """Replicas needed at peak load at the target utilisation."""
    max_replicas: int
    """Auto-scaling ceiling: peak with 50 % headroom."""
    notes: tuple[str, ...]

    @property
    def cpu_units(self) -> int:
        """Return the vCPU as ECS CPU units (1 vCPU = 1024)."""
        return int(self.vcpu * 1024)

    @property
    def memory_gb(self) -> float:
        """Return memory in GB (GiB, as AWS bills it)."""
        return self.memory_mb / 1024


def _fargate_memory(vcpu: float, needed_mb: int) -> int | None:
    for size in FARGATE_MEMORY[vcpu]:
        if size >= needed_mb:
            return size
    return None


def size_workload(answers: Answers) -> Sizing:
    """Size one replica and the replica counts for the answers."""
    w = answers.workload
    notes: list[str] = []
    hosted = answers.components.model_hosting == "sagemaker"
    # With SageMaker hosting the container only forwards requests: no model in memory, no GPU, and one
    # async worker keeps about SAGEMAKER_CONCURRENCY calls in flight.
    model_memory = 64 if hosted else max(64, w.model_size_mb * MODEL_MEMORY_FACTOR)
    service_ms = min(BASE_SERVICE_MS + MS_PER_MODEL_MB * w.model_size_mb, w.latency_p95_ms / 2)
    service_ms = max(1.0, service_ms)
    speedup = SAGEMAKER_CONCURRENCY if hosted else (GPU_SPEEDUP if w.gpu else 1)
    per_worker_rps = 1000 / service_ms * speedup
    gpu = w.gpu and not hosted
    if hosted:
        notes.append("the model runs on a SageMaker endpoint; the API tier only forwards requests")
    needed_workers = (
        max(1, math.ceil(w.peak_rps / (per_worker_rps * TARGET_UTILISATION))) if w.peak_rps else 1
    )
    notes.append(
        f"one worker serves about {per_worker_rps:.1f} requests/s "
        f"({'GPU, ' if gpu else ''}about {service_ms:.0f} ms per prediction); "
        f"{w.peak_rps} requests/s at peak need {needed_workers} worker(s) at 70 % utilisation"
    )
    large = model_memory > LARGE_MODEL_MB
    if gpu:
        vcpu, workers = 4.0, 1
    elif large:
        vcpu, workers = (1.0 if needed_workers <= 4 else 2.0), 1
    elif needed_workers >= 32:
        vcpu, workers = 4.0, 4
    elif needed_workers >= 8:
        vcpu, workers = 2.0, 2
    elif needed_workers >= 2 or model_memory > 1024:
        vcpu, workers = 1.0, 1
    else:
        vcpu, workers = 0.5, 1
    needed_mb = workers * model_memory + RUNTIME_OVERHEAD_MB
    memory = _fargate_memory(vcpu, needed_mb)
    while memory is None:
        bigger = [v for v in FARGATE_MEMORY if v > vcpu]
        if not bigger:
            memory = needed_mb  # beyond Fargate; the engine blocks Fargate/App Runner on memory anyway
            notes.append(f"{needed_mb} MB per replica exceeds the largest Fargate task (120 GB)")
            break
        vcpu = bigger[0]
        memory = _fargate_memory(vcpu, needed_mb)
    if large:
        notes.append(f"the model needs about {model_memory} MB loaded, so each replica runs one worker")
    # Throughput per replica follows the workers, not the vCPU: a large-model replica has one worker.
    per_replica_workers = workers
    peak = max(1, math.ceil(needed_workers / per_replica_workers))
    online = w.traffic_pattern in ("steady", "spiky") and w.peak_rps > 0
    min_replicas = 2 if online else 1
    peak = max(peak, min_replicas)
    headroom = 2.0 if w.traffic_pattern == "spiky" else 1.5
    max_replicas = min(MAX_REPLICAS, max(min_replicas + 1, math.ceil(peak * headroom)))
    if peak > MAX_REPLICAS:
        notes.append(
            f"peak needs {peak} replicas; the ceiling is capped at {MAX_REPLICAS}: raise it after load tests"
        )
    notes.append(
        f"each replica: {vcpu:g} vCPU, {memory} MB, {workers} worker(s)"
        + (", 1 GPU" if gpu else "")
        + f"; replicas {min_replicas} (floor) to {max_replicas} (ceiling), {peak} at peak"
    )
    return Sizing(
        vcpu=vcpu,
        memory_mb=memory,
        workers=workers,
        gpu_count=1 if gpu else 0,
        model_memory_mb=model_memory,
        min_replicas=min_replicas,
        peak_replicas=peak,
        max_replicas=max_replicas,
        notes=tuple(notes),
    )
