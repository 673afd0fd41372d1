"""lakeformation: see gaps.py (what moto lacks) and permissions.py (grants as AWS keeps and lists them)."""
