"""Provides the Terraform checks: `fmt` over the repo, `init` + `validate` per root, a python-hcl2 parse."""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import threading
from collections import defaultdict

from wizard.validation.context import Outcome, RunContext
from wizard.validation.parsers import parse_fmt, parse_init, parse_validate
from wizard.validation.report import Finding
from wizard.validation.tools import ToolFailedError, ToolMissingError, crashed, require, run, tail

_HCL2_LOCK = threading.Lock()
INIT_TIMEOUT = 300.0  # a real provider download (no mirror) can take minutes on a slow link
# `terraform fmt` puts top-level blocks at column 0; a variable this misses makes the wrapper fail, and
# a failing wrapper only means each root is validated on its own.
_VARIABLE = re.compile(r'^variable\s+"([A-Za-z_][A-Za-z0-9_-]*)"', re.MULTILINE)
_PROVIDER_SOURCE = re.compile(r'^\s*source\s*=\s*"([^"./][^"]*)"', re.MULTILINE)
# The one warning a root gives only because the wrapper calls it as a module.
_WRAPPER_WARNINGS = frozenset({"Backend configuration ignored"})


def terraform_env(ctx: RunContext) -> dict[str, str]:
    """Return the environment for Terraform: no prompts, no checkpoint calls, a shared plugin cache.

    An existing TF_CLI_CONFIG_FILE (for example a filesystem mirror) is passed through untouched.
    TF_DATA_DIR is dropped so that every root keeps its own `.terraform` in the private copy.
    """
    env = {key: value for key, value in os.environ.items() if key != "TF_DATA_DIR"}
    env.update(TF_IN_AUTOMATION="1", TF_INPUT="0", CHECKPOINT_DISABLE="1")
    env["TF_PLUGIN_CACHE_DIR"] = ctx.plugin_cache()
    # Without this, a root with no lock file ignores the cache and downloads its providers again. The lock
    # files written here belong to the private copy and are thrown away, so nothing is weakened.
    env.setdefault("TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE", "true")
    return env


def check_fmt(ctx: RunContext) -> Outcome:
    """Run `terraform fmt -check -recursive` over the repository; every listed file is a finding."""
    terraform = require("terraform")
    argv = [terraform, "fmt", "-check", "-recursive", "-list=true", "-no-color", "."]
    done = run(argv, cwd=ctx.root, env=terraform_env(ctx))
    findings = parse_fmt(done.stdout, done.stderr, ".")
    if done.returncode != 0 and not findings:
        raise crashed(done, "terraform fmt")
    return Outcome(tuple(findings))


def check_validate(ctx: RunContext, root_dir: str) -> Outcome:
    """Run `terraform init -backend=false` then `terraform validate` in a private copy of one root.

    A provider or module this machine cannot install makes the root `skipped` (never passed).
    """
    terraform = require("terraform")
    group = _validated_together(ctx, root_dir)
    if group:
        others = len(group) - 1
        return Outcome(
            detail=f"validated in one terraform process with {others} other root{'s' * (others != 1)}, "
            "each called as a module of a throwaway wrapper (the provider schema loads once)"
        )
    work = ctx.terraform_copy() / root_dir
    env = terraform_env(ctx)
    # The plugin cache is not safe for concurrent writers: inits take turns, validates run in parallel.
    with ctx.init_lock:
        argv = [terraform, "init", "-backend=false", "-input=false", "-no-color", "-json"]
        init = run(argv, cwd=work, env=env, timeout=INIT_TIMEOUT)
    parsed = parse_init(init.stdout, root_dir)
    missing = ", ".join(parsed.missing)
    if parsed.findings:
        note = f"\n(also not installable here: {missing})" if missing else ""
        return Outcome(tuple(parsed.findings), f"terraform init failed{note}")
    if parsed.missing:
        reason = parsed.reasons[0] if parsed.reasons else ""
        detail = (
            f"not validated: {missing} not installed (terraform init: {reason}). "
            "terraform-fmt, python-hcl2 and checkov still check these files."
        )
        return Outcome(detail=detail, status="skipped")
    if init.returncode != 0:
        raise crashed(init, "terraform init")
    done = run([terraform, "validate", "-json", "-no-color"], cwd=work, env=env)
    try:
        findings = parse_validate(done.stdout, root_dir)
    except ToolFailedError:
        raise crashed(done, "terraform validate") from None
    if done.returncode != 0 and not findings:
        raise crashed(done, "terraform validate")
    return Outcome(tuple(findings))


def _root_texts(ctx: RunContext, root_dir: str) -> str:
    files = [f for f in ctx.scan.tf_files if f.endswith(".tf") and (posixpath.dirname(f) or ".") == root_dir]
    return "\n".join((ctx.root / f).read_text(encoding="utf-8", errors="replace") for f in files)


def _groups(ctx: RunContext) -> dict[str, tuple[str, ...]]:
    """Group the roots that need the same providers; a root alone (or the repository root) is not grouped."""
    by_providers: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for root_dir in ctx.scan.tf_roots:
        if root_dir != ".":
            key = tuple(sorted(set(_PROVIDER_SOURCE.findall(_root_texts(ctx, root_dir)))))
            by_providers[key].append(root_dir)
    return {root: tuple(group) for group in by_providers.values() if len(group) > 1 for root in group}


def _validated_together(ctx: RunContext, root_dir: str) -> tuple[str, ...]:
    """Return the roots validated with `root_dir` in one process, or () when it must be validated alone.

    Each `terraform validate` loads the provider's schema (about 5 s of CPU for hashicorp/aws), so the roots
    that need the same providers are called as child modules of one throwaway wrapper and validated at once;
    during `validate` every input variable is unknown, in a root as in a module, so the checks are the same.
    Anything but a clean result (an error, a warning, a provider that cannot be installed) returns (), and
    each root is then validated on its own, so its findings are reported exactly as before.
    """
    group = ctx.once("terraform-groups", lambda: _groups(ctx)).get(root_dir, ())
    if not group:
        return ()
    return group if ctx.once("terraform-group:" + ",".join(group), lambda: _run_wrapper(ctx, group)) else ()


def _run_wrapper(ctx: RunContext, group: tuple[str, ...]) -> bool:
    """Validate the roots of `group` as modules of one wrapper configuration; True when all of them pass."""
    terraform = require("terraform")
    base = ctx.terraform_copy()
    wrapper = base / f".wizard-roots-{hashlib.sha256(','.join(group).encode()).hexdigest()[:12]}"
    blocks: list[str] = []
    for index, root_dir in enumerate(group):
        module = f"root{index}"
        names = sorted(set(_VARIABLE.findall(_root_texts(ctx, root_dir))))
        blocks += [f'variable "{module}__{name}" {{}}\n' for name in names]
        arguments = "".join(f"  {name} = var.{module}__{name}\n" for name in names)
        blocks.append(f'module "{module}" {{\n  source = "../{root_dir}"\n{arguments}}}\n')
    wrapper.mkdir()
    (wrapper / "main.tf").write_text("\n".join(blocks), encoding="utf-8")
    env = terraform_env(ctx)
    with ctx.init_lock:
        argv = [terraform, "init", "-backend=false", "-input=false", "-no-color", "-json"]
        if run(argv, cwd=wrapper, env=env, timeout=INIT_TIMEOUT).returncode != 0:
            return False
    done = run([terraform, "validate", "-json", "-no-color"], cwd=wrapper, env=env)
    try:
        data = json.loads(done.stdout)
    except json.JSONDecodeError:
        return False
    diagnostics = data.get("diagnostics") if isinstance(data, dict) else None
    return (
        done.returncode == 0
        and isinstance(diagnostics, list)
        and data.get("valid") is True
        and all(isinstance(d, dict) and d.get("summary") in _WRAPPER_WARNINGS for d in diagnostics)
    )


def check_hcl2(ctx: RunContext) -> Outcome:
    """Parse every `.tf` file with python-hcl2: it needs no providers, so it covers unvalidated roots."""
    try:
        from hcl2.api import loads
        from lark.exceptions import UnexpectedInput
    except ImportError:
        raise ToolMissingError("python-hcl2") from None
    findings: list[Finding] = []
    files = [f for f in ctx.scan.tf_files if f.endswith(".tf")]
    for file in files:
        try:
            text = (ctx.root / file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            findings.append(Finding("python-hcl2", file, None, "read", f"cannot read: {exc}"))
            continue
        try:
            with _HCL2_LOCK:  # one shared Lark parser
                loads(text)
        except UnexpectedInput as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            findings.append(
                Finding("python-hcl2", file, exc.line if exc.line > 0 else None, "syntax", message)
            )
        except Exception as exc:  # a parser bug is the tool's error, not the file's
            raise ToolFailedError(f"python-hcl2 crashed on {file}: {tail(repr(exc), 3)}") from exc
    return Outcome(tuple(findings), f"parsed {len(files)} files")
