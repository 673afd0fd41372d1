"""scheduler: see gaps.py (what moto lacks) and the engines beside it."""
