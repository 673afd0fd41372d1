"""README.md inputs/outputs tables: the committed README is current, and the generator's rendering.

Object variables: the description gives each field's meaning only (`- `field`: meaning`); the
generator renders the field's type, default and required-ness from the `type` expression and
rejects a description that disagrees with it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tooling import docs as gen_docs
from tooling.docs import Field
from tooling.paths import REPO as REPO_ROOT

VARIABLES_TF = """
variable "settings" {
  description = <<-EOT
    Tuning knobs. Fields:
    - `size`: how big.
    - `mode`: either side of the pipe;
      the other side is <ignored>.
    Applies to every <thing>.
  EOT
  type = object({
    mode = optional(string, "a|b")
    size = optional(number, 1)
  })
  default = {}
}

variable "name" {
  description = "Name prefix."
  type        = string
}

variable "key_arn" {
  description = "Optional key ARN."
  type        = string
  default     = null
}

variable "ports" {
  description = <<-EOT
    Ports | protocols to open.
    - `[*].port`: the port.
    - `[*].protocol`: "tcp" or "udp".
  EOT
  type        = list(object({ port = number, protocol = optional(string, "tcp") }))
  default     = [{ port = 443, protocol = "tcp" }]
}

variable "labels" {
  type    = map(string)
  default = { team = "data", "cost-center" = "42" }
}

variable "crawler" {
  description = <<-EOT
    The crawler. Fields:
    - `targets`: prefixes to crawl.
    - `targets[*].prefix`: "" or ending with "/".
    - `targets[*].exclusions`: glob patterns left out.
    - `classifiers`: CSV classifiers keyed by name.
    - `classifiers[*].delimiter`: one character.
    - `classifiers[*].quote`: one character.
    - `classifiers[*].header`: column names.
    - `lake`: Lake Formation settings.
    - `lake.account_id`: the catalog's account.
    - `lake.options`: more settings.
    - `lake.options.strict`: fail on a missing grant.
    - `level`: folder depth.
    - `lineage`: crawler lineage.
    - `schedules`: named schedules, each a list of windows.
    - `schedules[*][*].start`: window start.
    - `pair`: a name and a size.
    - `pair[1].size`: the size.
    - `tags`: set of tags.
  EOT
  type = object({
    targets = optional(list(object({
      prefix     = string
      exclusions = optional(list(string), [])
    })), [{ prefix = "" }])
    classifiers = optional(map(object({
      delimiter = optional(string, ",")
      quote     = optional(string, "\\"")
      header    = optional(list(string))
    })), {})
    lake = optional(object({
      account_id = string
      options = optional(object({
        strict = optional(bool, true)
      }), {})
    }))
    level     = number
    lineage   = optional(bool, false)
    schedules = optional(map(list(object({ start = string }))), { nightly = [{ start = "02:00" }] })
    pair      = optional(tuple([string, object({ size = number })]))
    tags      = optional(set(string), ["a", "b"])
  })
}
"""

OUTPUTS_TF = """
output "url" {
  description = "Endpoint URL."
  value       = "https://example.com"
}

output "arn" {
  description = "ARN of the thing."
  value       = "arn"
}
"""

README = "# Example\n\nIntro.\n\n<!-- BEGIN_TF_DOCS -->\nold tables\n<!-- END_TF_DOCS -->\n\nFooter.\n"


@pytest.fixture
def module_dir(tmp_path: Path) -> Path:
    (tmp_path / "variables.tf").write_text(VARIABLES_TF, encoding="utf-8")
    (tmp_path / "outputs.tf").write_text(OUTPUTS_TF, encoding="utf-8")
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    return tmp_path


def _module(tmp_path: Path, variables_tf: str) -> Path:
    """A module of one variables.tf, an empty outputs.tf and a README with markers."""
    (tmp_path / "variables.tf").write_text(variables_tf, encoding="utf-8")
    (tmp_path / "outputs.tf").write_text("", encoding="utf-8")
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    return tmp_path


def _object_variable(description: str, fields: str, name: str = "thing") -> str:
    body = "\n".join(f"    {line}" for line in description.strip("\n").split("\n"))
    return (
        f'variable "{name}" {{\n  description = <<-EOT\n{body}\n  EOT\n'
        f"  type = object({{\n{fields}\n  }})\n  default = {{}}\n}}\n"
    )


def _rows(text: str) -> dict[str, str]:
    """Table rows keyed by the backticked name in the first column."""
    return {line.split(" | ")[0][3:-1]: line for line in text.splitlines() if line.startswith("| `")}


def _generate(module_dir: Path) -> str:
    return gen_docs.generate(module_dir / "README.md", module_dir)[1]


def _check(module_dir: Path) -> int:
    return gen_docs.main(["--check", "--readme", str(module_dir / "README.md"), "--module", str(module_dir)])


def test_committed_readme_tables_are_current() -> None:
    readme = REPO_ROOT / "README.md"
    current, fresh = gen_docs.generate(readme, REPO_ROOT)
    assert current == fresh, gen_docs.stale_message(readme)


# --- tables ------------------------------------------------------------------------------------


def test_renders_type_default_and_required(module_dir: Path) -> None:
    rows = _rows(_generate(module_dir))
    assert rows["name"] == "| `name` | Name prefix. | `string` |  | yes |"
    assert rows["key_arn"] == "| `key_arn` | Optional key ARN. | `string` | `null` | no |"
    assert rows["labels"] == '| `labels` |  | `map(string)` | `{ team = "data", "cost-center" = "42" }` | no |'
    assert rows["crawler"].endswith(" | `object({…})` |  | yes |")


def test_object_fields_are_rendered_from_the_type_between_the_free_text(module_dir: Path) -> None:
    rows = _rows(_generate(module_dir))
    assert rows["settings"] == (
        "| `settings` | Tuning knobs. Fields:<br>"
        '- `mode` (`string`, default `"a\\|b"`): either side of the pipe; the other side is &lt;ignored&gt;.<br>'
        "- `size` (`number`, default `1`): how big.<br>"
        "Applies to every &lt;thing&gt;. | `object({…})` | `{}` | no |"
    )


def test_a_list_of_objects_variable_lists_its_element_fields(module_dir: Path) -> None:
    rows = _rows(_generate(module_dir))
    assert rows["ports"] == (
        "| `ports` | Ports \\| protocols to open.<br>"
        "- `[*].port` (`number`, required): the port.<br>"
        '- `[*].protocol` (`string`, default `"tcp"`): "tcp" or "udp". | `list(object({…}))` | '
        '`[{ port = 443, protocol = "tcp" }]` | no |'
    )


def test_nested_fields_follow_their_parent_in_path_order(module_dir: Path) -> None:
    cell = _rows(_generate(module_dir))["crawler"].split(" | ")[1]
    assert cell.split("<br>") == [
        "The crawler. Fields:",
        "- `classifiers` (`map(object({…}))`, default `{}`): CSV classifiers keyed by name.",
        '- `classifiers[*].delimiter` (`string`, default `","`): one character.',
        "- `classifiers[*].header` (`list(string)`, default `null`): column names.",
        '- `classifiers[*].quote` (`string`, default `"\\""`): one character.',
        "- `lake` (`object({…})`, default `null`): Lake Formation settings.",
        "- `lake.account_id` (`string`, required): the catalog's account.",
        "- `lake.options` (`object({…})`, default `{}`): more settings.",
        "- `lake.options.strict` (`bool`, default `true`): fail on a missing grant.",
        "- `level` (`number`, required): folder depth.",
        "- `lineage` (`bool`, default `false`): crawler lineage.",
        "- `pair` (`tuple([string, object({…})])`, default `null`): a name and a size.",
        "- `pair[1].size` (`number`, required): the size.",
        (
            '- `schedules` (`map(list(object({…})))`, default `{ nightly = [{ start = "02:00" }] }`): '
            "named schedules, each a list of windows."
        ),
        "- `schedules[*][*].start` (`string`, required): window start.",
        '- `tags` (`set(string)`, default `["a", "b"]`): set of tags.',
        '- `targets` (`list(object({…}))`, default `[{ prefix = "" }]`): prefixes to crawl.',
        "- `targets[*].exclusions` (`list(string)`, default `[]`): glob patterns left out.",
        '- `targets[*].prefix` (`string`, required): "" or ending with "/".',
    ]


def test_bullet_order_in_the_description_does_not_change_the_tables(module_dir: Path, tmp_path: Path) -> None:
    lines = VARIABLES_TF.split("\n")
    start = lines.index("    - `targets`: prefixes to crawl.")
    end = lines.index("    - `tags`: set of tags.") + 1
    shuffled = [*lines[:start], *reversed(lines[start:end]), *lines[end:]]
    other = tmp_path / "other"
    other.mkdir()
    (other / "variables.tf").write_text("\n".join(shuffled), encoding="utf-8")
    (other / "outputs.tf").write_text(OUTPUTS_TF, encoding="utf-8")
    (other / "README.md").write_text(README, encoding="utf-8")
    assert "\n".join(shuffled) != VARIABLES_TF
    assert _generate(other) == _generate(module_dir)


def test_heredoc_description_of_a_plain_variable_is_one_row_with_escaped_pipe(tmp_path: Path) -> None:
    module = _module(
        tmp_path,
        'variable "mode" {\n  description = <<-EOT\n    Either side:\n    "a|b" or <c>.\n  EOT\n  type = string\n}\n',
    )
    assert _rows(_generate(module))["mode"] == '| `mode` | Either side:<br>"a\\|b" or &lt;c&gt;. | `string` |  | yes |'


def test_a_default_holding_a_backtick_gets_a_longer_code_fence(tmp_path: Path) -> None:
    module = _module(tmp_path, _object_variable("- `quote`: the quote.", '    quote = optional(string, "`")'))
    assert '- `quote` (`string`, default `` "`" ``): the quote.' in _generate(module)


def test_tables_are_sorted_and_surroundings_kept(module_dir: Path) -> None:
    text = _generate(module_dir)
    assert list(_rows(text)) == ["crawler", "key_arn", "labels", "name", "ports", "settings", "arn", "url"]
    assert text.startswith("# Example\n\nIntro.\n\n<!-- BEGIN_TF_DOCS -->\n## Inputs\n")
    assert text.endswith("| `url` | Endpoint URL. |\n<!-- END_TF_DOCS -->\n\nFooter.\n")
    assert "old tables" not in text


def test_check_detects_stale_readme_and_passes_after_regeneration(
    module_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--readme", str(module_dir / "README.md"), "--module", str(module_dir)]
    assert gen_docs.main([*args, "--check"]) == 1
    assert "README.md inputs/outputs tables are stale: run `make docs`" in capsys.readouterr().err
    assert gen_docs.main(args) == 0
    first = (module_dir / "README.md").read_text(encoding="utf-8")
    assert gen_docs.main([*args, "--check"]) == 0
    assert gen_docs.main(args) == 0
    assert (module_dir / "README.md").read_text(encoding="utf-8") == first  # deterministic


@pytest.mark.parametrize(
    "readme",
    ["# No markers\n", "<!-- BEGIN_TF_DOCS -->\nonly begin\n", "<!-- END_TF_DOCS -->\n<!-- BEGIN_TF_DOCS -->\n"],
)
def test_missing_markers_give_a_clear_error(module_dir: Path, readme: str, capsys: pytest.CaptureFixture[str]) -> None:
    (module_dir / "README.md").write_text(readme, encoding="utf-8")
    with pytest.raises(gen_docs.DocsError, match=r"BEGIN_TF_DOCS.*END_TF_DOCS"):
        _generate(module_dir)
    assert _check(module_dir) == 2
    assert "must contain <!-- BEGIN_TF_DOCS --> followed by <!-- END_TF_DOCS -->" in capsys.readouterr().err
    assert (module_dir / "README.md").read_text(encoding="utf-8") == readme


# --- render_variable_fields --------------------------------------------------------------------


def test_render_variable_fields_gives_path_type_default_required_and_meaning(module_dir: Path) -> None:
    fields = gen_docs.render_variable_fields(module_dir)
    assert fields["settings"] == [
        ("mode", "string", '"a|b"', False, "either side of the pipe; the other side is <ignored>."),
        ("size", "number", "1", False, "how big."),
    ]
    assert fields["ports"] == [
        Field("[*].port", "number", None, True, "the port."),
        Field("[*].protocol", "string", '"tcp"', False, '"tcp" or "udp".'),
    ]
    lake = {field.path: field for field in fields["crawler"] if field.path.startswith("lake")}
    assert lake == {
        "lake": Field("lake", "object({…})", "null", False, "Lake Formation settings."),
        "lake.account_id": Field("lake.account_id", "string", None, True, "the catalog's account."),
        "lake.options": Field("lake.options", "object({…})", "{}", False, "more settings."),
        "lake.options.strict": Field("lake.options.strict", "bool", "true", False, "fail on a missing grant."),
    }


def test_render_variable_fields_maps_a_variable_without_fields_to_an_empty_list(module_dir: Path) -> None:
    fields = gen_docs.render_variable_fields(module_dir)
    assert list(fields) == ["crawler", "key_arn", "labels", "name", "ports", "settings"]
    assert fields["name"] == fields["labels"] == fields["key_arn"] == []


def test_render_variable_fields_needs_no_outputs_file(module_dir: Path) -> None:
    (module_dir / "outputs.tf").unlink()
    assert [field.path for field in gen_docs.render_variable_fields(module_dir)["settings"]] == ["mode", "size"]


@pytest.mark.parametrize(
    ("source", "rendered"),
    [
        ("null", "null"),
        ('"text"', '"text"'),
        ('"say \\"hi\\""', '"say \\"hi\\""'),
        ('""', '""'),
        ("42", "42"),
        ("10737418240", "10737418240"),
        ("2.5", "2.5"),
        ("-1", "-1"),
        ("true", "true"),
        ("false", "false"),
        ("[]", "[]"),
        ('["a", "b"]', '["a", "b"]'),
        ("{}", "{}"),
        ('{ a = 1, "b-c" = "x" }', '{ a = 1, "b-c" = "x" }'),
        ('[{ prefix = "", depth = 2 }]', '[{ prefix = "", depth = 2 }]'),
        ("{ a = [1, 2], b = { c = null } }", "{ a = [1, 2], b = { c = null } }"),
        ('"a, b)"', '"a, b)"'),
    ],
)
def test_field_defaults_render_as_hcl(tmp_path: Path, source: str, rendered: str) -> None:
    module = _module(tmp_path, _object_variable("- `value`: a value.", f"    value = optional(any, {source})"))
    assert gen_docs.render_variable_fields(module)["thing"] == [Field("value", "any", rendered, False, "a value.")]


def test_an_optional_field_without_default_is_null_and_a_plain_field_is_required(tmp_path: Path) -> None:
    module = _module(
        tmp_path,
        _object_variable("- `a`: optional.\n- `b`: required.", "    a = optional(string)\n    b = list(string)"),
    )
    assert gen_docs.render_variable_fields(module)["thing"] == [
        Field("a", "string", "null", False, "optional."),
        Field("b", "list(string)", None, True, "required."),
    ]
    assert "- `b` (`list(string)`, required): required." in _generate(module)


def test_variables_come_from_variables_tf_only_by_default(module_dir: Path) -> None:
    (module_dir / "main.tf").write_text('variable "elsewhere" {\n  type = string\n}\n', encoding="utf-8")
    assert "elsewhere" not in gen_docs.render_variable_fields(module_dir)


def test_variables_and_outputs_merge_across_the_listed_files(module_dir: Path) -> None:
    (module_dir / "queue.tf").write_text(
        'variable "queue" {\n  description = "The queue."\n  type = string\n}\n'
        'output "queue_url" {\n  description = "URL of the queue."\n  value = "u"\n}\n',
        encoding="utf-8",
    )
    _, fresh = gen_docs.generate(
        module_dir / "README.md", module_dir, variable_files=("variables.tf", "q*.tf"), output_files=("*.tf",)
    )
    rows = _rows(fresh)
    assert list(rows) == [
        "crawler", "key_arn", "labels", "name", "ports", "queue", "settings", "arn", "queue_url", "url",
    ]  # fmt: skip
    assert rows["queue"] == "| `queue` | The queue. | `string` |  | yes |"


def test_a_variable_declared_in_two_files_is_an_error(module_dir: Path) -> None:
    (module_dir / "more.tf").write_text('variable "name" {\n  type = string\n}\n', encoding="utf-8")
    with pytest.raises(
        gen_docs.DocsError, match=re.escape('variable "name" is declared in both more.tf and variables.tf')
    ):
        gen_docs.load_module(module_dir, variable_files=("*.tf",))


@pytest.mark.parametrize(
    ("variable_files", "message"),
    [(("variables.tf", "inputs.tf"), r"inputs\.tf not found"), (("variables.tf", "in*.tf"), r"matches in\*\.tf")],
)
def test_a_listed_file_that_is_missing_is_an_error(
    module_dir: Path, variable_files: tuple[str, ...], message: str
) -> None:
    with pytest.raises(gen_docs.DocsError, match=message):
        gen_docs.load_module(module_dir, variable_files=variable_files)


# --- description errors ------------------------------------------------------------------------

FIELDS = """\
    name = optional(string)
    size = optional(number, 1)
    target = optional(object({
      prefix = string
    }))"""
GOOD = "- `name`: a name.\n- `size`: a size.\n- `target`: a target.\n- `target.prefix`: a prefix."


@pytest.mark.parametrize(
    ("description", "message"),
    [
        pytest.param(
            "- `name`: a name.\n- `size`: a size.\n- `target`: a target.",
            'variable "thing", field `target.prefix` has no bullet in the description: '
            'add "- `target.prefix`: <meaning>"',
            id="nested-field-without-bullet",
        ),
        pytest.param(
            "- `name`: a name.\n- `target`: a target.\n- `target.prefix`: a prefix.",
            'variable "thing", field `size` has no bullet in the description',
            id="field-without-bullet",
        ),
        pytest.param(
            f"{GOOD}\n- `colour`: a colour.",
            'variable "thing", bullet `colour` names no field of the type '
            "(its fields: name, size, target, target.prefix)",
            id="bullet-naming-no-field",
        ),
        pytest.param(
            "- `name`: a name.\n- `size`: a size.\n- `target`: a target.\n- `prefix`: a prefix.",
            'variable "thing", bullet `prefix` names no field of the type (did you mean `target.prefix`?)',
            id="nested-bullet-without-its-path",
        ),
        pytest.param(
            "- `name` (string, null): a name.\n- `size`: a size.\n- `target`: a target.\n- `target.prefix`: a prefix.",
            "variable \"thing\", field `name`: the bullet carries a hand-written '(string, null)'; "
            'write "- `name`: <meaning>"',
            id="hand-written-type-and-default",
        ),
        pytest.param(
            '- `name`: a name.\n- `size` (number, "1 (one)").\n- `target`: a target.\n- `target.prefix`: a prefix.',
            'variable "thing", field `size`: the bullet carries a hand-written \'(number, "1 (one)")\'',
            id="hand-written-type-and-default-without-meaning",
        ),
        pytest.param(
            f"{GOOD}\n- `size`: again.",
            'variable "thing", field `size` has more than one bullet',
            id="repeated-bullet",
        ),
        pytest.param(
            "- `name` a name.\n- `name`: a name.\n- `size`: a size.\n"
            "- `target`: a target.\n- `target.prefix`: a prefix.",
            'variable "thing", field `name` has more than one bullet',
            id="repeated-bullet-after-a-malformed-one",
        ),
        pytest.param(
            "- `name` is a name.\n- `size`: a size.\n- `target`: a target.\n- `target.prefix`: a prefix.",
            'variable "thing", field `name`: the bullet must read "- `name`: <meaning>"',
            id="bullet-without-colon",
        ),
        pytest.param(
            "- `name`:\n- `size`: a size.\n- `target`: a target.\n- `target.prefix`: a prefix.",
            'variable "thing", field `name`: the bullet has no meaning after the colon',
            id="bullet-without-meaning",
        ),
        pytest.param(
            "- `name`: a name.\n- `size`: a size.\nMiddle text.\n- `target`: a target.\n- `target.prefix`: a prefix.",
            'variable "thing", bullet `target` comes after free text that follows other bullets',
            id="bullets-split-by-free-text",
        ),
    ],
)
def test_a_description_that_disagrees_with_the_type_is_an_error_naming_variable_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], description: str, message: str
) -> None:
    module = _module(tmp_path, _object_variable(description, FIELDS))
    with pytest.raises(gen_docs.DocsError) as raised:
        gen_docs.render_variable_fields(module)
    assert f"variables.tf: {message}" in str(raised.value)
    assert _check(module) == 2
    assert message in capsys.readouterr().err
    assert (module / "README.md").read_text(encoding="utf-8") == README
    assert gen_docs.main(["--readme", str(module / "README.md"), "--module", str(module)]) == 2
    assert (module / "README.md").read_text(encoding="utf-8") == README


def test_the_good_description_of_the_error_cases_passes(tmp_path: Path) -> None:
    module = _module(tmp_path, _object_variable(GOOD, FIELDS))
    assert [field.path for field in gen_docs.render_variable_fields(module)["thing"]] == [
        "name", "size", "target", "target.prefix",
    ]  # fmt: skip


def test_a_field_bullet_on_a_variable_without_fields_is_an_error(tmp_path: Path) -> None:
    module = _module(
        tmp_path, 'variable "name" {\n  description = "Name.\\n- `prefix`: a prefix."\n  type = string\n}\n'
    )
    message = r'variable "name", bullet `prefix` names no field of the type \(it has no fields\)'
    with pytest.raises(gen_docs.DocsError, match=message):
        gen_docs.render_variable_fields(module)


def test_every_problem_of_every_variable_is_reported_at_once(tmp_path: Path) -> None:
    module = _module(
        tmp_path,
        _object_variable("- `name` (string, null): a name.", FIELDS, name="first")
        + _object_variable(GOOD + "\n- `extra`: more.", FIELDS, name="second"),
    )
    with pytest.raises(gen_docs.DocsError) as raised:
        gen_docs.load_module(module)
    problems = str(raised.value).split("\n")[1:]
    assert [problem.split(",")[0].strip() for problem in problems] == [
        'variables.tf: variable "first"',
        'variables.tf: variable "first"',
        'variables.tf: variable "first"',
        'variables.tf: variable "first"',
        'variables.tf: variable "second"',
    ]
    assert [problem.split("`")[1] for problem in problems] == ["name", "size", "target", "target.prefix", "extra"]


def test_plain_bullets_and_blank_lines_are_free_text(tmp_path: Path) -> None:
    description = """\
Intro:
- not a field bullet

- `name`: a name.

- `size`: a size;
  more about size.
- `target`: a target.
- `target.prefix`: a prefix.

After."""
    module = _module(tmp_path, _object_variable(description, FIELDS))
    cell = _rows(_generate(module))["thing"].split(" | ")[1]
    assert cell.split("<br>") == [
        "Intro:",
        "- not a field bullet",
        "",
        "- `name` (`string`, default `null`): a name.",
        "- `size` (`number`, default `1`): a size; more about size.",
        "- `target` (`object({…})`, default `null`): a target.",
        "- `target.prefix` (`string`, required): a prefix.",
        "",
        "After.",
    ]


# --- type expressions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "rendered"),
    [
        ("string", "string"),
        ("${list(string)}", "list(string)"),
        ("${map(list(object({a = string})))}", "map(list(object({…})))"),
        ("${tuple([string, number, object({a = bool})])}", "tuple([string, number, object({…})])"),
        ("${set(number)}", "set(number)"),
        ("${list}", "list(any)"),
        (None, "any"),
    ],
)
def test_types_render_with_objects_collapsed(source: str | None, rendered: str) -> None:
    assert gen_docs.render_type(gen_docs.parse_type(source)) == rendered


def test_a_quoted_attribute_name_is_a_field_name() -> None:
    expr = gen_docs.parse_type('${object({"first-name" = optional(string, "x")})}')
    assert gen_docs.type_fields(expr) == [Field("first-name", "string", '"x"', False, "")]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("${optional(string)}", "optional\\(\\) outside an object attribute"),
        ("${lists(string)}", "unknown type 'lists'"),
        ("${object({a = string)}", "expected an attribute name at '\\)'"),
        ("object({a = string}", "expected '\\)' at ''"),
        ("${object({a = optional(string, )})}", "expected a default value"),
        ("${string string}", "unexpected text"),
    ],
)
def test_an_invalid_type_expression_is_rejected(source: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        gen_docs.parse_type(source)


def test_an_unparsable_type_in_a_module_names_the_variable(tmp_path: Path) -> None:
    module = _module(tmp_path, 'variable "broken" {\n  type = list(strings)\n}\n')
    with pytest.raises(gen_docs.DocsError, match=r"variables.tf: variable \"broken\": unknown type 'strings'"):
        gen_docs.load_module(module)
