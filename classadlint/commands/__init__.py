"""One module per CLI command; ``classadlint/cli.py`` only registers them."""
