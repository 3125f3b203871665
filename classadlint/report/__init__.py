"""Renderers of diagnostics: text for people, JSON for machines."""
