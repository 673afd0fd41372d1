"""The Python around the Terraform module: its local stack and its tooling.

One installed package (`pip install -e .`, done by `make setup`) that the demo, the tests and the
benchmark import; it imports none of them.

- `paths`: where things are in the repository.
- `aws_env`: the fake AWS account, region and credentials every local run uses, defined once.
- `emulator`: moto server on 127.0.0.1 with the gaps the module runs into filled, and local
  engines behind it (a crawl that writes tables, Athena on DuckDB, Lambda without Docker).
- `terraform`: the one Terraform runner (CLI config for the provider mirror, init, plan, apply,
  output, destroy) and the copy of the module plus an example that it runs against the emulator.
- `sample_data`, `events`: the shipped sample files, and AWS event shapes for tests and the bench.
- `demo`: `make demo`.
- `docs`, `lambda_zip`: README tables generator and the deterministic Lambda zip.
"""
