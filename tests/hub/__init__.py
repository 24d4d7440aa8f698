"""A Hugging Face Hub-compatible HTTP server for tests (see server.py and README.md)."""
