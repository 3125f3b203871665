"""``classadlint test``: policy tests — given job and slot ads, what the configuration
does with them (START, a match, the job transforms, the submit requirements, any knob),
and properties that must hold for every ad, proved by the symbolic engine or searched by
hypothesis. The file format is documented for users in ``docs/policy-tests.md``.

:mod:`.spec` reads test files, :mod:`.ads` builds realistic ads and user maps,
:mod:`.runner` runs cases and properties, :mod:`.report` prints text or JUnit XML.
"""
