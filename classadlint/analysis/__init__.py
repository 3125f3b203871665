"""Policy analysis: proofs and counterexamples over every valid ad pair.

:mod:`.symbolic` (z3) answers "can START be UNDEFINED?", "is this branch reachable?" with a
proof or a witness ad pair checked by two evaluators; :mod:`.properties` (hypothesis)
generates realistic job and slot ads. Neither is imported here, so ``check`` and the other
commands that do not prove anything never load z3 or hypothesis.
"""
