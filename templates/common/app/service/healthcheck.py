"""Provides the container health check: exit 0 when the local /health answers 200.

Run as `python -m service.healthcheck`. The slim base image has no curl or wget, so this
uses only the standard library.
"""

from __future__ import annotations

import http.client
import os
import sys


def main() -> int:
    """Return 0 when the local /health endpoint answers 200, else 1."""
    try:
        port = int(os.environ.get("PORT", "8080"))
    except ValueError:
        return 1
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=3)
    try:
        connection.request("GET", "/health")
        return 0 if connection.getresponse().status == 200 else 1
    except OSError:
        return 1
    finally:
        connection.close()


if __name__ == "__main__":
    sys.exit(main())
