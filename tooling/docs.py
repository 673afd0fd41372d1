"""Render the root module's inputs and outputs as Markdown tables inside README.md.

The tables replace whatever sits between `<!-- BEGIN_TF_DOCS -->` and `<!-- END_TF_DOCS -->`.

    python -m tooling.docs            # rewrite README.md in place (make docs)
    python -m tooling.docs --check    # exit 1 when README.md is stale

`variables.tf` and `outputs.tf` are parsed with python-hcl2 (8.x), which keeps strings in their
source form (quotes and escapes included) and heredocs as `<<-EOT ... EOT`; both are decoded here.
Object types are shown compactly as `object({…})`: the descriptions list the fields.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
from hcl2.utils import SerializationOptions, process_escape_sequences

from tooling.paths import REPO

REPO_ROOT = REPO
BEGIN_MARKER = "<!-- BEGIN_TF_DOCS -->"
END_MARKER = "<!-- END_TF_DOCS -->"

_HCL_OPTIONS = SerializationOptions(with_comments=False, explicit_blocks=False)
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][\w-]*)\n(.*?)\n?[ \t]*\2", re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


class DocsError(Exception):
    """A problem the user must fix (missing file, missing markers, unparsable HCL)."""


@dataclass(frozen=True)
class Variable:
    name: str
    description: str
    type: str
    default: str | None  # rendered HCL; None when the variable is required

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class Output:
    name: str
    description: str


# --- HCL values --------------------------------------------------------------------------------


def _is_expression(value: str) -> bool:
    return value.startswith("${") and value.endswith("}")


def _decode_string(raw: str) -> str:
    """Value of a string as hcl2 8.x returns it: `"quoted \\"escapes\\""` or `"<<-EOT\\n...\\nEOT"`."""
    if not (len(raw) >= 2 and raw.startswith('"') and raw.endswith('"')):
        return raw
    body = raw[1:-1]
    heredoc = _HEREDOC.fullmatch(body)
    if heredoc is None:
        text = process_escape_sequences(body)
    else:
        text = heredoc.group(3)
        if heredoc.group(1):  # `<<-`: strip the smallest indentation of the non-blank lines
            lines = text.split("\n")
            indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
            cut = min(indents, default=0)
            text = "\n".join(line[cut:] for line in lines)
    return text.replace("$${", "${").replace("%%{", "%{")


def _render_value(value: Any) -> str:
    """Compact HCL for a default value: strings keep their source quoting and escapes."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        if _is_expression(value):
            return value[2:-1]
        if value.startswith('"<<'):
            return json.dumps(_decode_string(value))
        return value
    if isinstance(value, list):
        return "[" + ", ".join(_render_value(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{key} = {_render_value(item)}" for key, item in value.items()) + " }"
    raise DocsError(f"cannot render default value {value!r}")


def _render_type(raw: Any) -> str:
    """Type source text with each `object({...})` collapsed to `object({…})`."""
    if raw is None:
        return "any"
    text = str(raw)
    if _is_expression(text):
        text = text[2:-1]
    out: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith("object(", i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            i = _skip_parens(text, i + len("object"))
            out.append("object({…})")
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _skip_parens(text: str, start: int) -> int:
    """Index just past the `)` matching the `(` at `start`, ignoring brackets inside strings."""
    depth, i, in_string = 0, start, False
    while i < len(text):
        char = text[i]
        if in_string:
            if char == "\\":
                i += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise DocsError(f"unbalanced type expression: {text}")


# --- module ------------------------------------------------------------------------------------


def _blocks(path: Path, kind: str) -> list[tuple[str, dict[str, Any]]]:
    if not path.is_file():
        raise DocsError(f"{path} not found")
    try:
        with path.open(encoding="utf-8") as handle:
            parsed = hcl2.load(handle, serialization_options=_HCL_OPTIONS)
    except Exception as exc:  # python-hcl2 raises lark errors of several kinds
        raise DocsError(f"cannot parse {path}: {exc}") from exc
    blocks: list[tuple[str, dict[str, Any]]] = []
    for entry in parsed.get(kind, []):
        for name, body in entry.items():
            blocks.append((_decode_string(name), body))
    return sorted(blocks, key=lambda block: block[0])


def load_module(module_dir: Path) -> tuple[list[Variable], list[Output]]:
    variables = [
        Variable(
            name=name,
            description=_decode_string(body.get("description", '""')),
            type=_render_type(body.get("type")),
            default=_render_value(body["default"]) if "default" in body else None,
        )
        for name, body in _blocks(module_dir / "variables.tf", "variable")
    ]
    outputs = [
        Output(name=name, description=_decode_string(body.get("description", '""')))
        for name, body in _blocks(module_dir / "outputs.tf", "output")
    ]
    return variables, outputs


# --- Markdown ----------------------------------------------------------------------------------


def _escape_html(text: str) -> str:
    """Escape `<` and `>` outside code spans so `<name>` is not swallowed as an HTML tag."""
    parts: list[str] = []
    last = 0
    for span in _CODE_SPAN.finditer(text):
        parts.append(text[last : span.start()].replace("<", "&lt;").replace(">", "&gt;"))
        parts.append(span.group(0))
        last = span.end()
    parts.append(text[last:].replace("<", "&lt;").replace(">", "&gt;"))
    return "".join(parts)


def cell(text: str) -> str:
    """One table cell: lines joined with `<br>`, `|` escaped."""
    lines = [_escape_html(line.strip()) for line in text.strip().splitlines()]
    return "<br>".join(lines).replace("|", "\\|")


def _code(text: str) -> str:
    return f"`{text}`".replace("|", "\\|")


def render_tables(variables: list[Variable], outputs: list[Output]) -> str:
    lines = [
        "## Inputs",
        "",
        "| Name | Description | Type | Default | Required |",
        "|------|-------------|------|---------|:--------:|",
    ]
    for var in variables:
        default = "" if var.default is None else _code(var.default)
        required = "yes" if var.required else "no"
        lines.append(f"| {_code(var.name)} | {cell(var.description)} | {_code(var.type)} | {default} | {required} |")
    lines += ["", "## Outputs", "", "| Name | Description |", "|------|-------------|"]
    for out in outputs:
        lines.append(f"| {_code(out.name)} | {cell(out.description)} |")
    return "\n".join(lines)


def replace_between_markers(readme_text: str, content: str, readme_name: str = "README.md") -> str:
    begin, end = readme_text.count(BEGIN_MARKER), readme_text.count(END_MARKER)
    if begin != 1 or end != 1 or readme_text.index(BEGIN_MARKER) > readme_text.index(END_MARKER):
        raise DocsError(
            f"{readme_name} must contain {BEGIN_MARKER} followed by {END_MARKER}, once each "
            f"(found {begin} begin and {end} end markers); add them where the tables belong"
        )
    head, rest = readme_text.split(BEGIN_MARKER)
    _, tail = rest.split(END_MARKER)
    return f"{head}{BEGIN_MARKER}\n{content}\n{END_MARKER}{tail}"


def generate(readme: Path, module_dir: Path) -> tuple[str, str]:
    """(current README text, README text with fresh tables)."""
    if not readme.is_file():
        raise DocsError(f"{readme} not found")
    current = readme.read_text(encoding="utf-8")
    variables, outputs = load_module(module_dir)
    return current, replace_between_markers(current, render_tables(variables, outputs), readme.name)


def stale_message(readme: Path) -> str:
    return f"{readme.name} inputs/outputs tables are stale: run `make docs`"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md is out of date")
    parser.add_argument("--readme", type=Path, default=REPO_ROOT / "README.md")
    parser.add_argument("--module", type=Path, default=REPO_ROOT, help="module directory")
    args = parser.parse_args(argv)
    try:
        current, fresh = generate(args.readme, args.module)
    except DocsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        if current != fresh:
            print(stale_message(args.readme), file=sys.stderr)
            return 1
        return 0
    if current != fresh:
        args.readme.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
