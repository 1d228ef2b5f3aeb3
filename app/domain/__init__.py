"""Pure rules on plain values: no Flask, no SQLAlchemy (tests/domain/test_purity.py checks)."""
