"""One table per register record: list columns, also the export's."""
