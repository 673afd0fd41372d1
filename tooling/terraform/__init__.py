"""The one Terraform runner: a CLI configuration for the local provider mirror, the environment that
points every AWS endpoint at the emulator, and init/plan/apply/output/destroy in a directory.

- `cli_config`: `.build/terraformrc`, which installs hashicorp/aws only from a filesystem mirror.
- `runner`: `Terraform`, one directory's commands (plans parsed through tftest into `Plan`).
- `plan`: `Plan`, a parsed plan (resources by address, counts by type, outputs).
- `stack`: the module and one example copied under .build with a provider override for the emulator.
- `inventory`: `python -m tooling.terraform.inventory examples/<name>` prints a starting inventory.
"""
