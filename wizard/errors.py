"""Provides the one error hierarchy of the wizard and the exit codes of CONTRACT §4."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes fixed by the public contract."""

    OK = 0
    FINDINGS = 1
    """`validate` found problems, `preflight` found a blocker, or no blueprint is eligible."""
    BAD_INPUT = 2
    INTERRUPTED = 130


class WizardError(Exception):
    """Base of every error the CLI reports as a message instead of a traceback."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(self, message: str, *, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class AnswersError(WizardError):
    """The answers file is unreadable, malformed, invalid or contradictory.

    `problems` holds one line per problem, each naming the key, the value found and what is allowed.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class UsageError(WizardError):
    """A command-line option or target is wrong (unknown blueprint id, non-empty output directory, ...)."""


class BlueprintDataError(WizardError):
    """A blueprint YAML file is malformed. This is a packaging bug or a broken user-supplied blueprint."""
