"""Renderers of diagnostics: pure ``list[Diagnostic] (+ sources) -> str``. Snippets and colour
live only here; nothing in a report decides what is a problem."""
