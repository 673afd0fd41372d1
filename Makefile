# terraform-aws-data-catalog: every developer and CI entry point.
# `make setup` once, then `make demo` (the main job) and `make test` (every tier).

SHELL       := /bin/bash
PYTHON      ?= python3
VENV        := .venv
CHECKOV_VENV:= .venv-checkov
PY          := $(VENV)/bin/python
TFRC        := .build/terraformrc

export CHECKPOINT_DISABLE := 1
export AWS_EC2_METADATA_DISABLED := true
export CKV_SKIP_PACKAGE_UPDATE_CHECK := true
export TF_IN_AUTOMATION := 1

.PHONY: setup demo demo-down test test-unit test-tooling test-emulator test-plan test-integration test-security test-docs \
        package docs fmt lint bench clean

setup: $(VENV)/.installed $(CHECKOV_VENV)/.installed $(TFRC) ## install everything the tests and demo need

# The tooling package (tooling/, and the handler as `trigger_crawler`) is installed in editable
# mode with its dev extras: everything imports it because it is installed, never by a path edit.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet -r requirements-checkov.txt
	touch $@

$(TFRC): tooling/terraform/cli_config.py $(VENV)/.installed
	$(PY) -m tooling.terraform.cli_config --out $(TFRC)
	@command -v terraform >/dev/null || { echo "terraform is not on PATH: install Terraform >= 1.5"; exit 1; }

demo: setup ## files in, rows out: examples/basic on a local AWS emulator, crawled and queried (KEEP=1 keeps it)
	$(PY) -m tooling.demo

demo-down: setup ## tear down a KEEP=1 demo: terraform destroy, stop the emulator, remove .build/demo
	$(PY) -m tooling.demo down

# The integration tier (minutes of provider waits) runs in the background while the other tiers
# run in the foreground; its output follows theirs. Both must pass.
test: setup ## every tier; the integration tier side by side with the others
	@mkdir -p .build; rm -f .build/integration.rc
	@( $(PY) -m pytest tests/integration > .build/integration.log 2>&1; echo $$? > .build/integration.rc ) & \
	$(PY) -m pytest tests --ignore=tests/integration --cov=lambda_src --cov-branch --cov-report=term-missing --cov-fail-under=100; \
	rest=$$?; wait; echo "================ integration tier (.build/integration.log) ================"; \
	cat .build/integration.log; integration=$$(cat .build/integration.rc); \
	echo "other tiers exited $$rest, integration tier exited $$integration"; \
	test $$rest -eq 0 && test $$integration -eq 0

test-unit: setup
	$(PY) -m pytest tests/unit --cov=lambda_src --cov-branch --cov-report=term-missing --cov-fail-under=100

test-plan: setup
	$(PY) -m pytest tests/plan

test-integration: setup
	$(PY) -m pytest tests/integration

test-security: setup
	$(PY) -m pytest tests/security

test-docs: setup
	$(PY) -m pytest tests/docs

test-tooling: setup
	$(PY) -m pytest tests/tooling

test-emulator: setup
	$(PY) -m pytest tests/emulator

package: setup ## rebuild dist/functions.zip from lambda_src (deterministic)
	$(PY) -m tooling.lambda_zip

docs: setup ## regenerate the README inputs/outputs tables
	$(PY) -m tooling.docs

fmt: setup ## terraform fmt and ruff format
	TF_CLI_CONFIG_FILE=$(TFRC) terraform fmt -recursive
	$(VENV)/bin/ruff format .

lint: setup ## ruff (lint and format check), mypy strict, terraform fmt check, checkov
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	TF_CLI_CONFIG_FILE=$(TFRC) terraform fmt -check -recursive
	$(CHECKOV_VENV)/bin/checkov -d . --framework terraform --skip-download --quiet --compact --skip-path '\.venv' --skip-path '\.build'

bench: setup ## replay a burst through the CDK sample's trigger and ours; prints a table
	$(PY) bench/crawl_triggers.py

clean:
	rm -rf .build .pytest_cache .coverage $(shell find . -name .terraform -type d -not -path './.venv*')
