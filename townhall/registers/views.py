"""The registers' records on the platform's generic pages and API (`declare`)."""
