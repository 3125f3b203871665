"""The rule engine: rules discovered from ``rules/``, run over a Project, Diagnostics out."""
