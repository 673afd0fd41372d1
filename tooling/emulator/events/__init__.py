"""events: see gaps.py (what moto lacks) and transform.py (what a target receives)."""
