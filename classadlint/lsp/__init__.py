"""``classadlint lsp``: the language server (pygls, stdio).

One module per job: :mod:`server` wires the LSP methods to the others; :mod:`projects`
keeps one linted Project per open file (re-modelling only what an edit touches);
:mod:`diagnostics`, :mod:`hover`, :mod:`completion`, :mod:`navigation`, :mod:`symbols`,
:mod:`code_actions` and :mod:`evaluate` answer the requests from that state;
:mod:`workspace` reads the settings; :mod:`positions` and :mod:`locate` translate between
editor positions and the engine's offsets and nodes.

Nothing here imports at ``classadlint check`` time: pygls is loaded only by this package.
"""
