"""Provides the `wizard` command line (CONTRACT §3): thin commands over the core; the TUI is imported lazily.

stdout carries data (reports, JSON); stderr carries diagnostics. Errors are handled once, here: a `WizardError`
becomes its message and exit code, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from wizard import __version__
from wizard.errors import ExitCode, UsageError, WizardError

if TYPE_CHECKING:
    from wizard.core.answers import Answers

BLUEPRINT_IDS = ("app_runner", "ecs_fargate", "elastic_beanstalk", "kubernetes")


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors exit with the contract's code 2 and a one-line hint."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(ExitCode.BAD_INPUT, f"{self.prog}: error: {message}\n")


def _load(path: str) -> Answers:
    from wizard.core.answers import load_answers

    return load_answers(Path(path))


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


# --- commands -------------------------------------------------------------------------------------------


def cmd_tui(args: argparse.Namespace) -> int:
    """Open the Textual wizard."""
    answers = _load(args.answers) if getattr(args, "answers", None) else None
    from wizard.tui.app import run_tui  # the only import of Textual, and only here

    return run_tui(answers, answers_path=Path(args.answers) if getattr(args, "answers", None) else None)


def cmd_new(args: argparse.Namespace) -> int:
    """Render the starter repository."""
    from wizard.core.engine import resolve_blueprint
    from wizard.core.render import render
    from wizard.core.writer import check_target, write_repository

    answers = _load(args.answers)
    out = Path(args.out)
    check_target(out, args.force)
    blueprint_id, rec = resolve_blueprint(answers, args.blueprint)
    files = render(answers, blueprint_id, recommendation=rec)
    write_repository(files, out, force=args.force)
    chosen = rec.get(blueprint_id)
    lines = [
        f"Wrote {len(files)} files to {out} with the {chosen.name} blueprint ({blueprint_id})"
        + (f" on {chosen.runtime}." if chosen.runtime != chosen.name else "."),
    ]
    if blueprint_id == rec.recommended:
        lines.append("Why: " + "; ".join(r.lstrip("+ ") for r in chosen.reasons if r.startswith("+"))[:400])
    else:
        lines.append(f"You chose it; the recommendation was {rec.recommended}.")
    lines.append(f"Estimated cost: ${chosen.cost.low:,}-${chosen.cost.high:,} per month (see README.md).")
    for warning in chosen.warnings:
        lines.append(f"Warning: {warning}")
    lines += [
        "Next steps:",
        f"  1. read {out}/README.md (deploy guide) and {out}/SECURITY_CHECKLIST.md if present",
        f"  2. wizard validate {out}",
        f"  3. cd {out}/infra/bootstrap && terraform init && terraform apply",
    ]
    _out("\n".join(lines))
    return ExitCode.OK


def cmd_recommend(args: argparse.Namespace) -> int:
    """Print the ranked blueprints with reasons."""
    from wizard.core.engine import recommend

    answers = _load(args.answers)
    if args.live_prices:
        from wizard.core.live_prices import use_live_prices

        note = use_live_prices(answers.platform.region)
        print(note, file=sys.stderr)
    rec = recommend(answers)
    if args.format == "json":
        _out(json.dumps(rec.to_json(), indent=2, ensure_ascii=False))
    else:
        _out(format_recommendation(rec))
    return ExitCode.OK if rec.recommended else ExitCode.FINDINGS


def format_recommendation(rec: object) -> str:
    """Render a recommendation as plain text."""
    from wizard.core.engine import Recommendation

    assert isinstance(rec, Recommendation)
    lines: list[str] = []
    if rec.recommended:
        best = rec.get(rec.recommended)
        where = f" on {best.runtime}" if best.runtime != best.name else ""
        lines.append(f"Recommended: {best.name} ({best.blueprint}){where}")
    else:
        lines.append("No blueprint is eligible for these answers.")
    for warning in rec.warnings:
        lines.append(f"! {warning}")
    for i, a in enumerate(rec.ranking, 1):
        state = f"score {a.score:.2f}" if a.eligible else "not eligible"
        lines.append("")
        lines.append(f"{i}. {a.name} ({a.blueprint}) - {state} - ${a.cost.low:,}-${a.cost.high:,}/month")
        lines += [f"   {r}" for r in a.reasons]
        lines += [f"   x {b.text}" for b in a.blockers]
        lines += [f"   ! {w}" for w in a.warnings]
        if a.eligible:
            drivers = ", ".join(f"{d.name} ${d.low:,.0f}-{d.high:,.0f}" for d in a.cost.drivers[:4])
            lines.append(f"   cost drivers: {drivers}")
    return "\n".join(lines)


def cmd_compare(args: argparse.Namespace) -> int:
    """Print all blueprints side by side."""
    from wizard.core.compare import compare, to_markdown, to_text

    answers = _load(args.answers)
    if args.live_prices:
        from wizard.core.live_prices import use_live_prices

        print(use_live_prices(answers.platform.region), file=sys.stderr)
    comparison = compare(answers)
    if args.format == "json":
        _out(json.dumps(comparison.to_json(), indent=2, ensure_ascii=False))
    elif args.format == "markdown":
        _out(to_markdown(comparison))
    else:
        _out(to_text(comparison))
    return ExitCode.OK


def cmd_checklist(args: argparse.Namespace) -> int:
    """Print the tailored security checklist."""
    from wizard.core.checklist import build_checklist, to_json, to_markdown
    from wizard.core.engine import resolve_blueprint

    answers = _load(args.answers)
    blueprint_id, _ = resolve_blueprint(answers, args.blueprint)
    checklist = build_checklist(answers, blueprint_id)
    _out(
        json.dumps(to_json(checklist), indent=2, ensure_ascii=False)
        if args.format == "json"
        else to_markdown(checklist)
    )
    return ExitCode.OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Run the real validators over a generated repository."""
    from wizard.validation.report import format_json, format_text
    from wizard.validation.runner import run_validation

    root = Path(args.dir)
    if not root.is_dir():
        raise UsageError(f"{root}: no such directory; `wizard validate` takes a generated repository")
    report = run_validation(root)
    _out(format_json(report) if args.format == "json" else format_text(report))
    return int(report.exit_code)


def cmd_preflight(args: argparse.Namespace) -> int:
    """Run the optional AWS account checks."""
    from wizard.preflight import format_json, format_text, run_preflight

    answers = _load(args.answers)
    report = run_preflight(answers, profile=args.profile)
    _out(format_json(report) if args.format == "json" else format_text(report))
    return int(report.exit_code)


def cmd_questions(args: argparse.Namespace) -> int:
    """Print the question catalogue."""
    from wizard.core.questions import render_catalogue

    _out(render_catalogue(args.format))
    return ExitCode.OK


def cmd_blueprints(args: argparse.Namespace) -> int:
    """Print the blueprint catalogue."""
    from wizard.core.blueprints import load_blueprints
    from wizard.core.records import dump

    blueprints = load_blueprints()
    if args.format == "json":
        data = {"schema": 1, "blueprints": [dump(bp, json=True) for bp in blueprints.values()]}
        _out(json.dumps(data, indent=2, ensure_ascii=False))
        return ExitCode.OK
    lines = []
    for bp in blueprints.values():
        life = bp.lifecycle
        status = life.status.replace("_", " ") + (f" since {life.since.isoformat()}" if life.since else "")
        lines.append(f"{bp.id:<18} {bp.name} [{status}]")
        lines.append(f"{'':<18} runs on: {', '.join(sorted(set(bp.runtime_by_cloud.values())))}")
        lines.append(f"{'':<18} ops burden {bp.ops_burden.level}/5, lock-in {bp.lock_in.level}/5")
        if life.note:
            lines.append(f"{'':<18} note: {life.note}")
        lines.append("")
    _out("\n".join(lines).rstrip())
    return ExitCode.OK


# --- parser ---------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser for every command of the contract."""
    parser = _Parser(
        prog="wizard",
        description="From a trained model to a production-grade deployment starter repository. "
        "Without a command, opens the interactive wizard.",
    )
    parser.add_argument("--version", action="version", version=f"wizard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def answers_arg(p: argparse.ArgumentParser, required: bool = True) -> None:
        p.add_argument(
            "--answers", metavar="FILE", required=required, help="the answers file (YAML, schema 1)"
        )

    p = sub.add_parser("tui", help="open the interactive wizard (the default)")
    answers_arg(p, required=False)
    p.set_defaults(func=cmd_tui)

    p = sub.add_parser("new", help="render the whole starter repository without asking anything")
    answers_arg(p)
    p.add_argument("--out", metavar="DIR", required=True, help="where to write; must be new or empty")
    p.add_argument("--blueprint", choices=BLUEPRINT_IDS, help="override the recommended blueprint")
    p.add_argument(
        "--force", action="store_true", help="write into a non-empty DIR, replacing generated files"
    )
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("recommend", help="the ranked blueprints with the reasons for each")
    answers_arg(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--live-prices", action="store_true", help="refresh prices from the AWS Pricing API")
    p.set_defaults(func=cmd_recommend)

    p = sub.add_parser("compare", help="all four blueprints side by side for these answers")
    answers_arg(p)
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("--live-prices", action="store_true", help="refresh prices from the AWS Pricing API")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("checklist", help="the tailored security checklist")
    answers_arg(p)
    p.add_argument("--blueprint", choices=BLUEPRINT_IDS)
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.set_defaults(func=cmd_checklist)

    p = sub.add_parser("validate", help="run the real linters and validators over a generated repository")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("preflight", help="optional AWS account checks (credentials, region, quotas)")
    answers_arg(p)
    p.add_argument(
        "--profile", metavar="NAME", help="AWS named profile (one that does not exist is bad input: exit 2)"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_preflight)

    p = sub.add_parser("questions", help="the question catalogue")
    p.add_argument("--format", choices=("yaml", "json"), default="yaml")
    p.set_defaults(func=cmd_questions)

    p = sub.add_parser("blueprints", help="the blueprint catalogue")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_blueprints)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.answers = None
        args.func = cmd_tui
    try:
        return int(args.func(args))
    except WizardError as exc:
        for line in str(exc).splitlines():
            print(f"wizard: error: {line}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("wizard: interrupted; nothing was written", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        sys.stderr.close()
        return int(ExitCode.OK)
