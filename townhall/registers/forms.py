"""One form per register record: the fields people edit."""
