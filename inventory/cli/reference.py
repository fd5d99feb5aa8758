"""The command-line reference, generated from the commands' own ``--help``.

The site's reference page is rebuilt from the click definitions at every build, so the
documentation can never drift from the tool (the approach of sqlite-utils' CLI reference).
"""

from __future__ import annotations

import click


def _help_text(command: click.Command, path: list[str]) -> str:
    parent: click.Context | None = None
    for name in path[:-1]:
        parent = click.Context(click.Command(name), info_name=name, parent=parent)
    ctx = click.Context(command, info_name=path[-1], parent=parent, terminal_width=88)
    return command.get_help(ctx)


def _walk(command: click.Command, path: list[str]) -> list[tuple[list[str], click.Command]]:
    found = [(path, command)]
    if isinstance(command, click.Group):
        for name in sorted(command.list_commands(click.Context(command))):
            sub = command.get_command(click.Context(command), name)
            if sub is not None and not sub.hidden:
                found.extend(_walk(sub, [*path, name]))
    return found


def cli_reference_markdown(group: click.Command, prog: str = "inventory") -> str:
    """Markdown page: one section per command with its ``--help`` output verbatim."""
    lines = [
        "# Référence de la ligne de commande",
        "",
        "Cette page est produite à partir de l'aide intégrée de chaque commande "
        f"(`{prog} COMMANDE --help`) à chaque construction du site.",
        "",
    ]
    for path, command in _walk(group, [prog]):
        title = " ".join(path)
        lines += [f"## `{title}`", "", "```text", _help_text(command, path).rstrip(), "```", ""]
    return "\n".join(lines)
