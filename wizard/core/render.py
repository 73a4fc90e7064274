"""Provides rendering: (answers, blueprint) -> the files of the starter repository, as a pure function.

Templates live in `templates/<set>/`; a blueprint lists the sets it renders (later sets override earlier ones
for the same path). A set may hold `_files.yaml`, a list of `{path: glob, when: condition}` rules that include a
file only when the condition holds over the render values. Files whose name starts with `_` are partials for
`{% include %}`, never output. Files ending in `.j2` are rendered with a sandboxed
Jinja environment with strict undefined variables; other files are copied as they are. Writing is `writer.py`.
"""

from __future__ import annotations

import fnmatch
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from wizard import __version__
from wizard.core import paths
from wizard.core.answers import REGION_CLOUD, Answers, dump_answers, region_table
from wizard.core.blueprints import Blueprint, load_blueprints
from wizard.core.conditions import matches
from wizard.core.cost import pick_instance, pick_sagemaker_instance, single_instance
from wizard.core.escaping import FILTERS
from wizard.core.paths import private_cache_folder
from wizard.core.posture import derive_posture, environments
from wizard.core.sizing import size_workload
from wizard.core.yamlio import load_yaml_file
from wizard.errors import WizardError

if TYPE_CHECKING:
    from wizard.core.engine import Recommendation

RULES_FILE = "_files.yaml"
EXECUTABLE_SUFFIXES = (".sh",)


@dataclass(frozen=True)
class RenderedFile:
    """One file of the generated repository."""

    path: str
    """POSIX path relative to the repository root."""
    content: str
    executable: bool = False


class TemplateError(WizardError):
    """A template failed to render (a bug in a template, reported with the template's name)."""


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Return Jinja's compiled-template cache in the user's cache directory, or None when it cannot be used.

    Compiling the templates is most of a render's time; the cache keeps each template's compiled code keyed by
    its name and a checksum of its source, so an edited template is compiled again.
    """
    folder = private_cache_folder(f"jinja-{jinja2.__version__}")
    return jinja2.FileSystemBytecodeCache(str(folder)) if folder else None


@cache
def _environment(root: str) -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(root),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(FILTERS)
    return env


def _is_partial(rel: Path) -> bool:
    """A file or folder whose name starts with one `_` is a partial (or `_files.yaml`), never output."""
    return any(part.startswith("_") and not part.startswith("__") for part in rel.parts)


def _set_files(set_dir: Path) -> list[str]:
    return sorted(
        rel.as_posix()
        for rel in (p.relative_to(set_dir) for p in set_dir.rglob("*") if p.is_file())
        if not _is_partial(rel) and "__pycache__" not in rel.parts and rel.suffix != ".pyc"
    )


def _set_rules(set_dir: Path) -> list[dict[str, Any]]:
    rules_path = set_dir / RULES_FILE
    if not rules_path.is_file():
        return []
    rules = load_yaml_file(rules_path) or []
    if not isinstance(rules, list):
        raise TemplateError(f"{rules_path}: must be a list of {{path, when}} rules")
    return rules


def glob_match(name: str, pattern: str) -> bool:
    """Return `fnmatch.fnmatchcase(name, pattern)`, without compiling a regex for the common patterns.

    The `_files.yaml` rules use `*` only (matching any run of characters, `/` included), so a `*`-only pattern
    is matched piece by piece; anything with `?` or `[` goes to fnmatch. Compiling the ~25 rule patterns as
    regular expressions took a noticeable part of a `wizard new` run.
    """
    if "?" in pattern or "[" in pattern:
        return fnmatch.fnmatchcase(name, pattern)
    head, *rest = pattern.split("*")
    if not rest:
        return name == pattern
    *middle, tail = rest
    if len(name) < len(head) + len(tail) or not name.startswith(head) or not name.endswith(tail):
        return False
    position, end = len(head), len(name) - len(tail)
    for piece in middle:
        found = name.find(piece, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def _included(rel: str, rules: list[dict[str, Any]], values: dict[str, Any]) -> bool:
    for rule in rules:
        if glob_match(rel, rule["path"]) and not matches(rule.get("when"), values):
            return False
    return True


def cloud_regions(answers: Answers) -> dict[str, str]:
    """Return the region used on each cloud the answers target (multi maps the AWS region to the nearest others)."""
    cloud, region = answers.platform.cloud, answers.platform.region
    if cloud == "multi":
        nearest = (
            region_table().get("multi_nearest", {}).get(region, {"gcp": "us-central1", "azure": "eastus"})
        )
        return {"aws": region, "gcp": nearest["gcp"], "azure": nearest["azure"]}
    return {REGION_CLOUD[cloud]: region}


def build_context(
    answers: Answers, blueprint: Blueprint, recommendation: Recommendation | None = None
) -> dict[str, Any]:
    """Return everything templates may use. Keys are documented in templates/README.md.

    `recommendation` is `recommend(answers)`, computed here unless the caller already has it.
    """
    from wizard.core.checklist import build_checklist  # checklist imports this module
    from wizard.core.engine import recommend  # engine imports render-free modules only

    sizing = size_workload(answers)
    posture = derive_posture(answers)
    envs = environments(answers, sizing.min_replicas, sizing.max_replicas, posture)
    if recommendation is None:
        recommendation = recommend(answers)
    ranked = {r.blueprint: r for r in recommendation.ranking}
    regions = cloud_regions(answers)
    return {
        "answers": answers,
        "name": answers.project.name,
        "blueprint": blueprint,
        "runtime": blueprint.runtime(answers.platform.cloud),
        "sizing": sizing,
        "posture": posture,
        "envs": envs,
        "regions": regions,
        "recommendation": recommendation,
        "assessment": ranked[blueprint.id],
        "cost": ranked[blueprint.id].cost,
        "wizard_version": __version__,
        "checklist": build_checklist(answers, blueprint.id),
        "beanstalk_single_instance": single_instance(answers, posture),
        "ec2_instance_type": pick_instance(sizing.vcpu, sizing.memory_mb, sizing.gpu_count > 0),
        "sagemaker_instance_type": pick_sagemaker_instance(answers),
    }


def condition_values(answers: Answers, blueprint: Blueprint) -> dict[str, Any]:
    """Return the values `_files.yaml` conditions see: the answers plus `blueprint` and `posture`."""
    values = answers.values()
    values["blueprint"] = blueprint.id
    values["posture"] = asdict(derive_posture(answers))
    return values


def render(
    answers: Answers,
    blueprint_id: str,
    *,
    templates_root: Path | None = None,
    recommendation: Recommendation | None = None,
) -> list[RenderedFile]:
    """Render the whole repository for the answers and a blueprint id, sorted by path.

    Pass `recommendation` when you already have `recommend(answers)` for these answers; it is not recomputed.
    """
    blueprints = load_blueprints()
    blueprint = blueprints[blueprint_id]
    root = templates_root or paths.templates_dir()
    env = _environment(str(root))
    context = build_context(answers, blueprint, recommendation)
    values = condition_values(answers, blueprint)
    answers_values = answers.values()
    sources: dict[str, tuple[str, Path]] = {}
    for template_set in blueprint.templates:
        if not matches(template_set.when, answers_values):
            continue
        set_dir = root / template_set.set
        if not set_dir.is_dir():
            raise TemplateError(
                f"blueprint {blueprint.id}: template set {template_set.set!r} not found in {root}"
            )
        rules = _set_rules(set_dir)
        for rel in _set_files(set_dir):
            if _included(rel, rules, values):
                out = rel[: -len(".j2")] if rel.endswith(".j2") else rel
                sources[out] = (f"{template_set.set}/{rel}", set_dir / rel)
    files: list[RenderedFile] = []
    for out, (name, path) in sorted(sources.items()):
        if name.endswith(".j2"):
            try:
                content = env.get_template(name).render(context)
            except jinja2.TemplateError as exc:
                line = getattr(exc, "lineno", None)
                where = f"{name}:{line}" if line else name
                raise TemplateError(f"template {where}: {exc}") from None
        else:
            content = path.read_text(encoding="utf-8")
        files.append(RenderedFile(out, content, executable=out.endswith(EXECUTABLE_SUFFIXES)))
    files.append(RenderedFile(".wizard/answers.yaml", answers_record(answers, blueprint.id)))
    return sorted(files, key=lambda f: f.path)


def answers_record(answers: Answers, blueprint_id: str) -> str:
    """Return `.wizard/answers.yaml`: the answers, the wizard version and the blueprint, for re-rendering."""
    header = (
        "# Recorded by deploy-wizard so this repository can be re-rendered:\n"
        f"#   wizard new --answers .wizard/answers.yaml --out DIR --blueprint {blueprint_id}\n"
        f"# wizard_version: {__version__}\n"
        f"# blueprint: {blueprint_id}\n"
    )
    body = dump_answers(answers)
    return header + body
