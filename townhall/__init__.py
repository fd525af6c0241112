"""Townhall: a workbench for city and county IT leaders."""

__version__ = "0.1.0"
