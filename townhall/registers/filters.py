"""One filterset per register record: list-page and API filters."""
