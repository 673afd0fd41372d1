"""Render the root module's inputs and outputs as Markdown tables inside README.md.

The tables replace whatever sits between `<!-- BEGIN_TF_DOCS -->` and `<!-- END_TF_DOCS -->`.

    python -m tooling.docs            # rewrite README.md in place (make docs)
    python -m tooling.docs --check    # exit 1 when README.md is stale, 2 on a broken description

Variables are read from the files matching `VARIABLE_FILES` and outputs from `OUTPUT_FILES`
(names or glob patterns relative to the module, blocks of several files merged): a layout change
of the module is an edit of those two tuples.

One source per contract. The fields of an object variable, and of objects nested in it (through
`object`, `list`, `set`, `map` and `tuple`), take their type, default and required-ness from the
variable's `type = object({ ... optional(type, default) ... })` expression; the description gives
only each field's meaning, as one bullet per field anywhere in one block of bullets:

    description = <<-EOT
      The Glue crawler. Fields:
      - `targets`: S3 prefixes inside the data bucket to crawl.
      - `targets[*].prefix`: "" (the whole bucket) or a key prefix ending with "/".
    EOT

A nested field is named by its path from the variable: `.` into an object, `[*]` into the elements
of a list, set or map, `[0]` into a tuple element. A bullet's meaning may go on over indented
lines. The generator renders each field as ``- `path` (`type`, default `value`): meaning`` (or
`required`), in path order, where the bullets were. A field without a bullet, a bullet naming no
field, a repeated bullet, a bullet still carrying a hand-written `(type, default)` and a bullet
without a meaning are errors (exit code 2) naming the file, the variable and the field.
`render_variable_fields(module_dir)` gives the same rows to tests.

The files are parsed with python-hcl2 (8.x), which keeps strings in their source form (quotes and
escapes included), heredocs as `<<-EOT ... EOT` and a type expression as its source text
(`${object({a = optional(string, "x")})}`); all three are decoded here.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import hcl2
from hcl2.utils import SerializationOptions, process_escape_sequences

from tooling.paths import REPO

REPO_ROOT = REPO
BEGIN_MARKER = "<!-- BEGIN_TF_DOCS -->"
END_MARKER = "<!-- END_TF_DOCS -->"

# Where the module's variable and output blocks live: file names or glob patterns (`*.tf`).
VARIABLE_FILES: tuple[str, ...] = ("variables.tf",)
OUTPUT_FILES: tuple[str, ...] = ("outputs.tf",)

_HCL_OPTIONS = SerializationOptions(with_comments=False, explicit_blocks=False)
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][\w-]*)\n(.*?)\n?[ \t]*\2", re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_BULLET = re.compile(r"^[ \t]*-[ \t]+`([^`]+)`(.*)$")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


class DocsError(Exception):
    """A problem the user must fix (missing file, missing markers, unparsable HCL, a description
    that disagrees with its type)."""


class Field(NamedTuple):
    """One field of an object variable, as rendered: everything but `meaning` comes from the type."""

    path: str  # from the variable: `targets[*].prefix`
    type: str  # nested objects collapsed: `list(object({…}))`
    default: str | None  # rendered HCL (`null` for an optional field without one); None if required
    required: bool  # not wrapped in optional()
    meaning: str  # the description's bullet, continuation lines joined by spaces


@dataclass(frozen=True)
class Variable:
    name: str
    description: str  # as written; `lead` + fields + `tail` is what the table shows
    type: str
    default: str | None  # rendered HCL; None when the variable is required
    fields: tuple[Field, ...] = ()
    lead: tuple[str, ...] = ()  # description lines before the field bullets (all of it without bullets)
    tail: tuple[str, ...] = ()  # description lines after the field bullets

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


def render_hcl_source(source: str) -> str:
    """`source` (an HCL expression such as a default inside `optional()`) rendered as `_render_value` does."""
    try:
        parsed = hcl2.loads(f"value = {source}\n", serialization_options=_HCL_OPTIONS)
    except Exception as exc:  # python-hcl2 raises lark errors of several kinds
        raise ValueError(f"cannot parse the value {source!r}: {exc}") from exc
    return _render_value(parsed["value"])


# --- type expressions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Primitive:
    name: str  # string, number, bool, any


@dataclass(frozen=True)
class Collection:
    kind: str  # list, set, map
    element: TypeExpr


@dataclass(frozen=True)
class TupleType:
    elements: tuple[TypeExpr, ...]


@dataclass(frozen=True)
class Attribute:
    name: str
    type: TypeExpr
    optional: bool
    default: str | None  # source text of optional()'s second argument; None when absent


@dataclass(frozen=True)
class ObjectType:
    attributes: tuple[Attribute, ...]


TypeExpr = Primitive | Collection | TupleType | ObjectType

_PRIMITIVES = frozenset({"string", "number", "bool", "any"})
_COLLECTIONS = frozenset({"list", "set", "map"})


class _TypeParser:
    """Recursive descent over a Terraform type constraint; raises ValueError at the first mistake."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def parse(self) -> TypeExpr:
        parsed = self.type()
        self.skip()
        if self.pos != len(self.text):
            self.fail("unexpected text")
        return parsed

    def fail(self, what: str) -> NoReturn:
        raise ValueError(f"{what} at {self.text[self.pos : self.pos + 30]!r} in type {self.text!r}")

    def skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def peek(self, token: str) -> bool:
        self.skip()
        return self.text.startswith(token, self.pos)

    def expect(self, token: str) -> None:
        if not self.peek(token):
            self.fail(f"expected {token!r}")
        self.pos += len(token)

    def word(self, what: str = "a type") -> str:
        self.skip()
        match = _IDENTIFIER.match(self.text, self.pos)
        if match is None:
            self.fail(f"expected {what}")
        self.pos = match.end()
        return match.group(0)

    def type(self) -> TypeExpr:
        keyword = self.word()
        if keyword in _PRIMITIVES:
            return Primitive(keyword)
        if keyword in _COLLECTIONS:
            if not self.peek("("):  # legacy bare `list` / `map` means list(any) / map(any)
                return Collection(keyword, Primitive("any"))
            self.expect("(")
            element = self.type()
            self.expect(")")
            return Collection(keyword, element)
        if keyword == "tuple":
            self.expect("(")
            self.expect("[")
            elements: list[TypeExpr] = []
            while not self.peek("]"):
                elements.append(self.type())
                if not self.peek("]"):
                    self.expect(",")
            self.expect("]")
            self.expect(")")
            return TupleType(tuple(elements))
        if keyword == "object":
            self.expect("(")
            self.expect("{")
            attributes: list[Attribute] = []
            while not self.peek("}"):
                attributes.append(self.attribute())
                if self.peek(","):
                    self.expect(",")
            self.expect("}")
            self.expect(")")
            return ObjectType(tuple(attributes))
        self.pos -= len(keyword)
        self.fail(f"unknown type {keyword!r}" if keyword != "optional" else "optional() outside an object attribute")

    def attribute(self) -> Attribute:
        self.skip()
        if self.peek('"'):
            end = self.text.find('"', self.pos + 1)
            if end < 0:
                self.fail("unterminated attribute name")
            name = self.text[self.pos + 1 : end]
            self.pos = end + 1
        else:
            name = self.word("an attribute name")
        self.expect("=")
        start = self.pos
        if self.word() != "optional" or not self.peek("("):
            self.pos = start
            return Attribute(name, self.type(), optional=False, default=None)
        self.expect("(")
        attr_type = self.type()
        default: str | None = None
        if self.peek(","):
            self.expect(",")
            default = self.expression()
        self.expect(")")
        return Attribute(name, attr_type, optional=True, default=default)

    def expression(self) -> str:
        """Source text up to the `)` closing the enclosing call, skipping brackets and strings."""
        self.skip()
        start, depth, in_string = self.pos, 0, False
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if in_string:
                if char == "\\":
                    self.pos += 1
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif char in "([{":
                depth += 1
            elif char in ")]}":
                if depth == 0:
                    source = self.text[start : self.pos].strip()
                    if not source:
                        self.fail("expected a default value")
                    return source
                depth -= 1
            self.pos += 1
        self.fail("unterminated optional()")


def parse_type(raw: Any) -> TypeExpr:
    """A variable's `type` as hcl2 returns it (`string`, `${object({...})}`, absent = None) parsed."""
    if raw is None:
        return Primitive("any")
    text = str(raw)
    if _is_expression(text):
        text = text[2:-1]
    return _TypeParser(text).parse()


def render_type(expr: TypeExpr) -> str:
    """Compact type: each `object({...})` collapsed to `object({…})`, since its fields are listed."""
    if isinstance(expr, Primitive):
        return expr.name
    if isinstance(expr, Collection):
        return f"{expr.kind}({render_type(expr.element)})"
    if isinstance(expr, TupleType):
        return "tuple([" + ", ".join(render_type(element) for element in expr.elements) + "])"
    return "object({…})"


def type_fields(expr: TypeExpr, path: str = "") -> list[Field]:
    """Every field reachable from `expr`, each followed by its nested fields, attributes sorted by
    name; `meaning` is left empty."""
    if isinstance(expr, Primitive):
        return []
    if isinstance(expr, Collection):
        return type_fields(expr.element, f"{path}[*]")
    if isinstance(expr, TupleType):
        return [field for i, element in enumerate(expr.elements) for field in type_fields(element, f"{path}[{i}]")]
    fields: list[Field] = []
    for attribute in sorted(expr.attributes, key=lambda item: item.name):
        field_path = f"{path}.{attribute.name}" if path else attribute.name
        if not attribute.optional:
            default = None
        elif attribute.default is None:
            default = "null"
        else:
            default = render_hcl_source(attribute.default)
        fields.append(Field(field_path, render_type(attribute.type), default, not attribute.optional, ""))
        fields.extend(type_fields(attribute.type, field_path))
    return fields


# --- descriptions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bullet:
    path: str
    text: str  # what follows the backticked path, continuation lines joined by spaces


@dataclass(frozen=True)
class Description:
    lead: tuple[str, ...]
    bullets: tuple[Bullet, ...]
    tail: tuple[str, ...]
    problems: tuple[str, ...]  # layout mistakes, without the variable's name


def parse_description(text: str) -> Description:
    """Split a description into the lines before its block of field bullets, the bullets and the
    lines after it. A bullet is a line `- `path`...`; indented lines right under it continue it."""
    lead: list[str] = []
    bullets: list[Bullet] = []
    tail: list[str] = []
    problems: list[str] = []
    blanks: list[str] = []  # blank lines seen inside the bullet block, kept if text follows
    state = "lead"
    for line in text.strip("\n").split("\n"):
        bullet = _BULLET.match(line)
        if bullet is not None:
            if state == "tail":
                problems.append(
                    f"bullet `{bullet.group(1)}` comes after free text that follows other bullets: keep the field "
                    "bullets in one block (text may come before and after it)"
                )
            state, blanks = "bullets", []
            bullets.append(Bullet(bullet.group(1).strip(), bullet.group(2).strip()))
        elif state == "bullets" and not line.strip():
            blanks.append(line)
        elif state == "bullets" and not blanks and line[:1] in (" ", "\t"):
            last = bullets[-1]
            bullets[-1] = Bullet(last.path, f"{last.text} {line.strip()}".strip())
        elif state == "lead":
            lead.append(line)
        else:
            if state == "bullets":
                tail.extend(blanks)
            state = "tail"
            tail.append(line)
    return Description(tuple(lead), tuple(bullets), tuple(tail), tuple(problems))


def _hand_written_contract(text: str) -> str | None:
    """The `(type, default)` part at the start of a bullet's text, or None."""
    if not text.startswith("("):
        return None
    depth, in_string = 0, False
    for i, char in enumerate(text):
        if in_string:
            in_string = char != '"' or text[i - 1] == "\\"
        elif char == '"':
            in_string = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return text[: i + 1]
    return text


def match_fields(fields: Sequence[Field], description: Description) -> tuple[list[Field], list[str]]:
    """`fields` with the meanings of their bullets, and the disagreements, each naming the field."""
    problems = list(description.problems)
    known = [field.path for field in fields]
    meanings: dict[str, str] = {}
    seen: set[str] = set()
    for bullet in description.bullets:
        path, text = bullet.path, bullet.text
        if path in seen:
            problems.append(f"field `{path}` has more than one bullet")
            continue
        seen.add(path)
        contract = _hand_written_contract(text)
        if contract is not None:
            problems.append(
                f'field `{path}`: the bullet carries a hand-written {contract!r}; write "- `{path}`: <meaning>": '
                "the type and default are rendered from the type expression"
            )
            text = text[len(contract) :].strip()
        if path not in known:
            problems.append(f"bullet `{path}` names no field of the type{_did_you_mean(path, known)}")
        if not text.startswith(":"):
            if contract is None:
                problems.append(f'field `{path}`: the bullet must read "- `{path}`: <meaning>"')
            continue
        meaning = text[1:].strip()
        if not meaning:
            problems.append(f"field `{path}`: the bullet has no meaning after the colon")
        meanings[path] = meaning
    for path in known:
        if path not in seen:
            problems.append(f'field `{path}` has no bullet in the description: add "- `{path}`: <meaning>"')
    return [field._replace(meaning=meanings.get(field.path, "")) for field in fields], problems


def _did_you_mean(path: str, known: Sequence[str]) -> str:
    nested = [candidate for candidate in known if re.search(rf"(\.|\])({re.escape(path)})$", candidate)]
    close = nested or difflib.get_close_matches(path, known, n=1)
    if close:
        return f" (did you mean `{close[0]}`?)"
    return f" (its fields: {', '.join(known)})" if known else " (it has no fields)"


# --- module ------------------------------------------------------------------------------------


def _module_files(module_dir: Path, patterns: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for pattern in patterns:
        if any(char in pattern for char in "*?["):
            matched = sorted(path for path in module_dir.glob(pattern) if path.is_file())
            if not matched:
                raise DocsError(f"no file in {module_dir} matches {pattern}")
            files.extend(path for path in matched if path not in files)
        elif not (module_dir / pattern).is_file():
            raise DocsError(f"{module_dir / pattern} not found")
        elif module_dir / pattern not in files:
            files.append(module_dir / pattern)
    return files


def _blocks(module_dir: Path, patterns: Sequence[str], kind: str) -> list[tuple[str, dict[str, Any], str]]:
    """(name, body, file name) of every `kind` block in the files, sorted by name; a name declared
    twice is an error."""
    blocks: dict[str, tuple[str, dict[str, Any], str]] = {}
    for path in _module_files(module_dir, patterns):
        try:
            with path.open(encoding="utf-8") as handle:
                parsed = hcl2.load(handle, serialization_options=_HCL_OPTIONS)
        except Exception as exc:  # python-hcl2 raises lark errors of several kinds
            raise DocsError(f"cannot parse {path}: {exc}") from exc
        for entry in parsed.get(kind, []):
            for raw_name, body in entry.items():
                name = _decode_string(raw_name)
                if name in blocks:
                    raise DocsError(f'{kind} "{name}" is declared in both {blocks[name][2]} and {path.name}')
                blocks[name] = (name, body, path.name)
    return [blocks[name] for name in sorted(blocks)]


def _variable(name: str, body: dict[str, Any], file_name: str) -> tuple[Variable, list[str]]:
    """The variable and its problems, each prefixed with the file and the variable's name."""
    where = f'{file_name}: variable "{name}"'
    description = _decode_string(body.get("description", '""'))
    default = _render_value(body["default"]) if "default" in body else None
    try:
        expr = parse_type(body.get("type"))
        fields = type_fields(expr)
    except ValueError as exc:
        return Variable(name, description, str(body.get("type")), default), [f"{where}: {exc}"]
    parsed = parse_description(description)
    matched, problems = match_fields(fields, parsed)
    variable = Variable(
        name=name,
        description=description,
        type=render_type(expr),
        default=default,
        fields=tuple(matched),
        lead=parsed.lead,
        tail=parsed.tail,
    )
    return variable, [f"{where}, {problem}" for problem in problems]


def load_module(
    module_dir: Path,
    variable_files: Sequence[str] = VARIABLE_FILES,
    output_files: Sequence[str] = OUTPUT_FILES,
) -> tuple[list[Variable], list[Output]]:
    """Variables and outputs sorted by name; raises DocsError listing every description problem."""
    variables: list[Variable] = []
    problems: list[str] = []
    for name, body, file_name in _blocks(module_dir, variable_files, "variable"):
        variable, found = _variable(name, body, file_name)
        variables.append(variable)
        problems.extend(found)
    if problems:
        raise DocsError(
            "variable descriptions disagree with their types "
            "(bullets give each field's meaning only: - `field`: meaning):\n  " + "\n  ".join(problems)
        )
    outputs = [
        Output(name=name, description=_decode_string(body.get("description", '""')))
        for name, body, _ in _blocks(module_dir, output_files, "output")
    ]
    return variables, outputs


def render_variable_fields(module_dir: Path, variable_files: Sequence[str] = VARIABLE_FILES) -> dict[str, list[Field]]:
    """Every variable's fields as (path, type, default, required, meaning), for other tests; a
    variable without object fields maps to []. Raises DocsError like `make docs` does."""
    variables, _ = load_module(module_dir, variable_files, output_files=())
    return {variable.name: list(variable.fields) for variable in variables}


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


def code_span(text: str) -> str:
    """`text` as a Markdown code span, fenced with more backticks than any run inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _code(text: str) -> str:
    return code_span(text).replace("|", "\\|")


def render_field(field: Field) -> str:
    """``- `path` (`type`, default `value`): meaning``, or `required` in place of the default."""
    contract = "required" if field.required else f"default {code_span(field.default or 'null')}"
    return f"- {code_span(field.path)} ({code_span(field.type)}, {contract}): {field.meaning}"


def describe(variable: Variable) -> str:
    """The description as the table shows it: the bullets replaced by the rendered fields."""
    if not variable.fields:
        return variable.description
    return "\n".join([*variable.lead, *(render_field(field) for field in variable.fields), *variable.tail])


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
        lines.append(f"| {_code(var.name)} | {cell(describe(var))} | {_code(var.type)} | {default} | {required} |")
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


def generate(
    readme: Path,
    module_dir: Path,
    variable_files: Sequence[str] = VARIABLE_FILES,
    output_files: Sequence[str] = OUTPUT_FILES,
) -> tuple[str, str]:
    """(current README text, README text with fresh tables)."""
    if not readme.is_file():
        raise DocsError(f"{readme} not found")
    current = readme.read_text(encoding="utf-8")
    variables, outputs = load_module(module_dir, variable_files, output_files)
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
