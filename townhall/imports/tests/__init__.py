"""Tests of the platform's imports app. They use estate records as sample data: a test may import
the modules it tests against, production code may not (core/tests/test_import_rules.py)."""
