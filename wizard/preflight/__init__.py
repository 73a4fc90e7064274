"""Provides `wizard preflight`: optional, read-only AWS account checks before the first deployment.

Generation never needs cloud credentials; these checks help users who have an AWS account at hand, and they
degrade to one clear message when there are no credentials or no network.
"""

from __future__ import annotations

from wizard.preflight.checks import run_preflight
from wizard.preflight.report import Check, PreflightReport, format_json, format_text

__all__ = ["Check", "PreflightReport", "format_json", "format_text", "run_preflight"]
