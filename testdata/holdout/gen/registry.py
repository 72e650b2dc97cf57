"""The list of held-out cases: each registers its label and a builder
that returns (message bytes, payload), the payload being the personal
datum (a CPR number or the sensitive sentence) the test keeps out of logs."""

CASES = []


def case(expect, kind, technique, producer):
    def register(build):
        CASES.append((expect, kind, technique, producer, build))
        return build
    return register
