"""README.md inputs/outputs tables: the committed README is current, and the generator's rendering."""

from __future__ import annotations

from pathlib import Path

import pytest

from tooling import docs as gen_docs
from tooling.paths import REPO as REPO_ROOT

VARIABLES_TF = '''
variable "settings" {
  description = <<-EOT
    Tuning knobs. Fields:
    - `mode` (string, "a|b"): either side of the pipe.
    - `size` (number, 1): how big.
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
  description = "Ports | protocols to open."
  type        = list(object({ port = number, protocol = optional(string, "tcp") }))
  default     = [{ port = 443, protocol = "tcp" }]
}

variable "labels" {
  type    = map(string)
  default = { team = "data", "cost-center" = "42" }
}
'''

OUTPUTS_TF = '''
output "url" {
  description = "Endpoint URL."
  value       = "https://example.com"
}

output "arn" {
  description = "ARN of the thing."
  value       = "arn"
}
'''

README = "# Example\n\nIntro.\n\n<!-- BEGIN_TF_DOCS -->\nold tables\n<!-- END_TF_DOCS -->\n\nFooter.\n"


@pytest.fixture()
def module_dir(tmp_path: Path) -> Path:
    (tmp_path / "variables.tf").write_text(VARIABLES_TF, encoding="utf-8")
    (tmp_path / "outputs.tf").write_text(OUTPUTS_TF, encoding="utf-8")
    (tmp_path / "README.md").write_text(README, encoding="utf-8")
    return tmp_path


def _rows(text: str) -> dict[str, str]:
    """Table rows keyed by the backticked name in the first column."""
    return {line.split(" | ")[0][3:-1]: line for line in text.splitlines() if line.startswith("| `")}


def _generate(module_dir: Path) -> str:
    return gen_docs.generate(module_dir / "README.md", module_dir)[1]


def test_committed_readme_tables_are_current() -> None:
    readme = REPO_ROOT / "README.md"
    current, fresh = gen_docs.generate(readme, REPO_ROOT)
    assert current == fresh, gen_docs.stale_message(readme)


def test_renders_type_default_and_required(module_dir: Path) -> None:
    rows = _rows(_generate(module_dir))
    assert rows["name"] == "| `name` | Name prefix. | `string` |  | yes |"
    assert rows["key_arn"] == "| `key_arn` | Optional key ARN. | `string` | `null` | no |"
    assert rows["labels"] == '| `labels` |  | `map(string)` | `{ team = "data", "cost-center" = "42" }` | no |'
    assert rows["ports"] == (
        "| `ports` | Ports \\| protocols to open. | `list(object({…}))` | "
        '`[{ port = 443, protocol = "tcp" }]` | no |'
    )


def test_heredoc_description_is_one_row_with_escaped_pipe(module_dir: Path) -> None:
    rows = _rows(_generate(module_dir))
    assert rows["settings"] == (
        "| `settings` | Tuning knobs. Fields:<br>"
        '- `mode` (string, "a\\|b"): either side of the pipe.<br>'
        "- `size` (number, 1): how big. | `object({…})` | `{}` | no |"
    )


def test_tables_are_sorted_and_surroundings_kept(module_dir: Path) -> None:
    text = _generate(module_dir)
    assert list(_rows(text)) == ["key_arn", "labels", "name", "ports", "settings", "arn", "url"]
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
def test_missing_markers_give_a_clear_error(
    module_dir: Path, readme: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (module_dir / "README.md").write_text(readme, encoding="utf-8")
    with pytest.raises(gen_docs.DocsError, match="BEGIN_TF_DOCS.*END_TF_DOCS"):
        _generate(module_dir)
    assert gen_docs.main(["--check", "--readme", str(module_dir / "README.md"), "--module", str(module_dir)]) == 2
    assert "must contain <!-- BEGIN_TF_DOCS --> followed by <!-- END_TF_DOCS -->" in capsys.readouterr().err
    assert (module_dir / "README.md").read_text(encoding="utf-8") == readme
