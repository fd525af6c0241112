"""The licence is stated where people and packaging tools look for it."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_the_project_is_under_the_apache_licence():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.lstrip().startswith("Apache License\n") and "Version 2.0, January 2004" in text
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "Apache-2.0" and project["license-files"] == ["LICENSE"]
