"""Provides `wizard validate`: runs the real linters and validators over a generated repository."""

from wizard.validation.report import Finding, ToolResult, ValidationReport, format_json, format_text
from wizard.validation.runner import TOOL_ORDER, run_validation

__all__ = [
    "TOOL_ORDER",
    "Finding",
    "ToolResult",
    "ValidationReport",
    "format_json",
    "format_text",
    "run_validation",
]
