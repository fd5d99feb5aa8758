"""CI integration files: valid YAML, the README's commands, and commands the CLI accepts."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner

from inventory.cli import main

VERIFICATION = ".github/workflows/verification.yml"
PUBLICATION = ".github/workflows/publication.yml"
GITLAB = ".gitlab-ci.yml"
CI_FILES = (VERIFICATION, PUBLICATION, GITLAB)


def _load(project_root: Path, name: str) -> Any:
    return yaml.safe_load((project_root / name).read_text(encoding="utf-8"))


def _readme_commands(project_root: Path) -> list[str]:
    """The commands of the README's shell blocks (comments left out)."""
    text = (project_root / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.DOTALL)
    return [
        line.strip()
        for block in blocks
        for line in block.splitlines()
        if line.strip() and not line.strip().startswith("#")
    ]


def _install_command(project_root: Path) -> str:
    main_job = _readme_commands(project_root)[0]
    install = main_job.split("&&")[0].strip()
    assert install.startswith("pip install")
    return install


def _scripts(node: Any) -> list[str]:
    """Every shell line of a workflow (``run:`` steps, GitLab ``script``/``before_script``)."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "run" and isinstance(value, str):
                found.extend(value.splitlines())
            elif key in ("script", "before_script") and isinstance(value, list):
                found.extend(str(v) for v in value)
            else:
                found.extend(_scripts(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_scripts(value))
    return [line.strip() for line in found if line.strip()]


def _inventory_commands(lines: list[str]) -> list[list[str]]:
    commands = []
    for line in lines:
        for part in re.split(r"&&|\|\||;", line):
            part = part.split(">")[0].strip()
            if part.startswith("inventory "):
                commands.append(shlex.split(part)[1:])
    return commands


def _parses(arguments: list[str]) -> None:
    """The CLI accepts the command line (subcommand, options and choices), without running it."""
    context = click.Context(main)
    command = main.get_command(context, arguments[0])
    assert command is not None, arguments
    command.make_context(arguments[0], list(arguments[1:]), parent=context)


@pytest.mark.parametrize("name", [*CI_FILES, ".pre-commit-hooks.yaml"])
def test_files_are_valid_yaml(project_root: Path, name: str) -> None:
    assert _load(project_root, name)


@pytest.mark.parametrize("name", CI_FILES)
def test_ci_files_install_the_lock_then_the_readme_project(project_root: Path, name: str) -> None:
    """Workflows install the exact versions of the lock file, then the README's project alone."""
    lines = _scripts(_load(project_root, name))
    lock = "pip install --require-hashes -r requirements/publication.txt"
    project = _install_command(project_root).replace("pip install", "pip install --no-deps")
    assert lock in lines
    assert project in lines
    assert lines.index(lock) < lines.index(project)
    assert (project_root / "requirements" / "publication.txt").is_file()


@pytest.mark.parametrize("name", CI_FILES)
def test_ci_commands_are_accepted_by_the_cli(project_root: Path, name: str) -> None:
    commands = _inventory_commands(_scripts(_load(project_root, name)))
    assert commands
    for arguments in commands:
        _parses(arguments)


def test_readme_commands_are_accepted_by_the_cli(project_root: Path) -> None:
    commands = _inventory_commands(_readme_commands(project_root))
    assert ["build"] in commands
    for arguments in commands:
        _parses(arguments)


def _sources_commands(lines: list[str]) -> list[list[str]]:
    prefix = "python -m inventory.cli.ci_sources"
    return [shlex.split(line[len(prefix) :]) for line in lines if line.startswith(prefix)]


@pytest.mark.parametrize("name", [VERIFICATION, GITLAB])
def test_sources_check_runs_on_the_project_and_catches_errors(
    project_root: Path, tmp_path: Path, monkeypatch, name: str
) -> None:
    from inventory.cli.ci_sources import main as check_sources

    (arguments,) = _sources_commands(_scripts(_load(project_root, name)))
    monkeypatch.chdir(project_root)
    result = CliRunner().invoke(check_sources, arguments)
    assert result.exit_code == 0, result.output
    (tmp_path / "sources.yml").write_text(
        "github.com:\n  forge: githb\n  owners:\n    etalab:\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(check_sources, arguments)
    assert result.exit_code == 1
    assert "githb" in result.output
    if "github" in arguments:
        assert result.output.startswith("::error file=sources.yml,line=2,col=3,title=Sources")


def test_pull_request_workflow(project_root: Path) -> None:
    workflow = _load(project_root, VERIFICATION)
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert set(triggers) == {"pull_request"}
    assert set(triggers["pull_request"]["paths"]) == {
        "algorithms/**",
        "ouvertures/**",
        "sources.yml",
        "schemas/**",
    }
    lines = _scripts(workflow)
    assert "inventory check --format github" in lines
    assert "python -m inventory.cli.ci_sources sources.yml --format github" in lines
    assert "inventory build" in lines
    assert lines.index("inventory check --format github") < lines.index("inventory build")


def test_publication_workflow(project_root: Path) -> None:
    workflow = _load(project_root, PUBLICATION)
    triggers = workflow[True] if True in workflow else workflow["on"]
    assert triggers["schedule"][0]["cron"].split()[4] not in ("*", "")  # weekly: a day of week
    assert "workflow_dispatch" in triggers
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"
    steps = workflow["jobs"]["construction"]["steps"]
    uses = [step.get("uses", "") for step in steps]
    restore = next(
        step for step in steps if step.get("uses", "").startswith("actions/cache/restore")
    )
    save = next(step for step in steps if step.get("uses", "").startswith("actions/cache/save"))
    assert restore["with"]["path"] == save["with"]["path"] == "data/inventory.sqlite3"
    assert "github.run_id" in restore["with"]["key"]
    prefix = restore["with"]["restore-keys"].strip()
    assert restore["with"]["key"].startswith(prefix)
    crawl = next(step for step in steps if "inventory crawl" in step.get("run", ""))
    assert crawl["env"]["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"
    assert crawl["env"]["GITLAB_TOKEN"] == "${{ secrets.GITLAB_TOKEN }}"
    assert '"$code" -eq 3' in crawl["run"] and "::warning" in crawl["run"]
    order = [uses.index(restore["uses"]), steps.index(crawl), uses.index(save["uses"])]
    assert order == sorted(order)
    lines = _scripts(workflow)
    assert lines.index("inventory build") > lines.index("inventory crawl --quiet")
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    deploy = workflow["jobs"]["deploiement"]
    assert deploy["needs"] == "construction"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")


def test_publication_tolerates_partial_crawls_only(project_root: Path, tmp_path: Path) -> None:
    """The crawl step's shell: exit 3 passes with a warning, any other failure stops."""
    import subprocess

    workflow = _load(project_root, PUBLICATION)
    crawl = next(
        step
        for step in workflow["jobs"]["construction"]["steps"]
        if "inventory crawl" in step.get("run", "")
    )
    for code, expected in ((0, 0), (3, 0), (1, 1)):
        fake = tmp_path / "bin"
        fake.mkdir(exist_ok=True)
        (fake / "inventory").write_text(f"#!/bin/sh\nexit {code}\n", encoding="utf-8")
        (fake / "inventory").chmod(0o755)
        output = tmp_path / "output"
        summary = tmp_path / "summary"
        done = subprocess.run(
            ["bash", "-e", "-c", crawl["run"]],
            env={
                "PATH": f"{fake}:/usr/bin:/bin",
                "GITHUB_OUTPUT": str(output),
                "GITHUB_STEP_SUMMARY": str(summary),
            },
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == expected, (code, done.stderr)
        assert f"code={code}" in output.read_text(encoding="utf-8")
        assert ("::warning" in done.stdout) is (code == 3)


def test_gitlab_merge_requests_get_a_code_quality_report(project_root: Path) -> None:
    pipeline = _load(project_root, GITLAB)
    template = pipeline[".demandes-de-fusion"]
    rule = template["rules"][0]
    assert "merge_request_event" in rule["if"]
    assert set(rule["changes"]) == {
        "algorithms/**/*",
        "ouvertures/**/*",
        "sources.yml",
        "schemas/**/*",
    }
    check = pipeline["verification"]
    report = check["artifacts"]["reports"]["codequality"]
    assert check["artifacts"]["when"] == "always"
    assert f"inventory check --format codequality > {report} || true" in check["script"]
    assert "inventory check" in check["script"]
    assert pipeline["construction"]["script"] == ["inventory build"]
    for job in ("verification", "construction"):
        assert pipeline[job]["extends"] == ".demandes-de-fusion"


def test_pre_commit_hook(project_root: Path) -> None:
    hook, publiccode = _load(project_root, ".pre-commit-hooks.yaml")
    assert publiccode["id"] == "inventory-publiccode"
    assert publiccode["entry"] == "inventory publiccode"
    assert publiccode["language"] == "python"
    files = re.compile(publiccode["files"])
    assert files.search("publiccode.yml") and files.search("publiccode.yaml")
    assert not files.search("docs/publiccode.yml") and not files.search("publiccode.yml.bak")
    assert hook["id"] == "inventory-check"
    assert hook["entry"] == "inventory check"
    assert hook["language"] == "python"
    pattern = re.compile(hook["files"])
    assert pattern.search("algorithms/dgfip/calcul-impot-revenu.yml")
    assert pattern.search("algorithms/dgfip/calcul.yaml")
    assert pattern.search("ouvertures/mtfp-2021.yml")
    assert not pattern.search("ouvertures/archives/x.yml")
    assert not pattern.search("sources.yml")
    assert not pattern.search("docs/algorithms/x.yml")


def test_the_workflow_check_passes_on_the_register(project_root: Path, monkeypatch) -> None:
    monkeypatch.chdir(project_root)
    result = CliRunner().invoke(main, ["check", "--format", "github"])
    assert result.exit_code == 0, result.output
    assert "::error" not in result.output


def test_pull_request_template_and_contributing_guide(project_root: Path) -> None:
    template = (project_root / ".github" / "pull_request_template.md").read_text("utf-8")
    assert template.count("- [ ]") >= 8
    assert "inventory check" in template
    guide = (project_root / "CONTRIBUTING.md").read_text("utf-8")
    for words in (
        "Sur GitHub",
        "Sur GitLab",
        "Lire une vérification en échec",
        "Corriger une erreur",
        "Ajouter un compte à moissonner",
        "Lancer les tests",
        "inventory new",
        "inventory import",
    ):
        assert words in guide
    assert _readme_commands(project_root)[1] in guide  # the README's test command


def _expanded(line: str, env: dict[str, Any]) -> str:
    """``line`` with the step's ``$NAME`` / ``${NAME}`` variables replaced by their values."""
    return re.sub(r"\$\{?(\w+)\}?", lambda m: str(env.get(m.group(1), m.group(0))), line)


def _base_of(arguments: list[str]) -> str:
    assert arguments[:1] == ["check"] and "--base" in arguments, arguments
    return arguments[arguments.index("--base") + 1]


def _whole_history_on_github(steps: list[dict[str, Any]], before: int) -> None:
    """The checkout, before step ``before``, fetches every commit (not GitHub's one)."""
    checkouts = [
        index
        for index, step in enumerate(steps)
        if str(step.get("uses", "")).startswith("actions/checkout@")
    ]
    assert checkouts and checkouts[0] < before
    assert steps[checkouts[0]].get("with", {}).get("fetch-depth") == 0


def test_github_verification_checks_changes_against_the_target_branch(
    project_root: Path,
) -> None:
    """Pull requests run ``inventory check --base`` with the branch they target, from a
    checkout holding the whole history (the target branch and the merge base included)."""
    steps = _load(project_root, VERIFICATION)["jobs"]["verification"]["steps"]
    found = [
        (index, step)
        for index, step in enumerate(steps)
        if "--base" in step.get("run", "") and "inventory check" in step.get("run", "")
    ]
    assert len(found) == 1
    index, step = found[0]
    (arguments,) = _inventory_commands([_expanded(step["run"], step.get("env", {}))])
    assert _base_of(arguments) == "origin/${{ github.base_ref }}"
    assert "--format" in arguments and arguments[arguments.index("--format") + 1] == "github"
    assert step.get("if") == "${{ !cancelled() }}"  # even when the first check failed
    _whole_history_on_github(steps, index)


def test_gitlab_verification_checks_changes_against_the_target_branch(
    project_root: Path,
) -> None:
    """Merge requests run ``inventory check --base`` with their target branch, fetched first,
    in a clone of the whole history (GIT_DEPTH 0: GitLab clones 20 commits otherwise)."""
    job = _load(project_root, GITLAB)["verification"]
    script = [str(line) for line in job["script"]]
    checks = [
        (index, arguments)
        for index, line in enumerate(script)
        for arguments in _inventory_commands([line])
        if "--base" in arguments
    ]
    assert len(checks) == 1
    index, arguments = checks[0]
    assert _base_of(arguments) == "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
    fetches = [
        i
        for i, line in enumerate(script)
        if line.startswith("git fetch") and "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" in line
    ]
    assert fetches and fetches[0] < index
    assert str(job["variables"]["GIT_DEPTH"]) == "0"


@pytest.mark.parametrize("name", [PUBLICATION, VERIFICATION])
def test_github_builds_read_the_whole_history(project_root: Path, name: str) -> None:
    """A site built from a shallow clone shows each record's history cut short."""
    for job in _load(project_root, name)["jobs"].values():
        steps = job.get("steps", [])
        builds = [i for i, step in enumerate(steps) if "inventory build" in step.get("run", "")]
        for index in builds:
            _whole_history_on_github(steps, index)
    assert "inventory build" in _scripts(_load(project_root, name))


def test_gitlab_builds_read_the_whole_history(project_root: Path) -> None:
    pipeline = _load(project_root, GITLAB)
    building = [
        job
        for job in pipeline.values()
        if isinstance(job, dict) and "inventory build" in job.get("script", [])
    ]
    assert building
    for job in building:
        assert str(job.get("variables", {}).get("GIT_DEPTH")) == "0"
