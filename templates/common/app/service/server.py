"""Provides the entry point: `python -m service.server` runs the service with uvicorn.

This is the container's command. (`service` is a namespace package: it has no `__init__.py`.)
"""

from __future__ import annotations

import uvicorn

from service.logconfig import logging_config
from service.settings import Settings


def main() -> None:
    """Run `WEB_CONCURRENCY` worker processes on PORT until SIGTERM, then shut down gracefully."""
    settings = Settings.from_env()
    uvicorn.run(
        "service.main:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=logging_config(settings.log_level),
        log_level=settings.log_level.lower(),
        access_log=False,
        timeout_graceful_shutdown=settings.graceful_timeout,
        timeout_keep_alive=settings.keepalive_timeout,
        server_header=False,
    )


if __name__ == "__main__":
    main()
