"""Invented CPR numbers: a number passing modulus 11 is born 2037-2057
(seventh digit 5-8), so no living person has it; a number failing modulus
11 is not born on 1 January (the only birthdays for which such numbers
have been issued)."""

W = [4, 3, 2, 7, 6, 5, 4, 3, 2, 1]


def mod11(d):
    return sum(int(c) * w for c, w in zip(d, W)) % 11 == 0


def cpr(day, month, yy, passes=True, start=0):
    """Ten digits without separator."""
    assert not (day == 1 and month == 1)
    head = "%02d%02d%02d" % (day, month, yy)
    if passes:
        assert 37 <= yy <= 57
        rng = range(5000 + start, 9000)
    else:
        rng = range(1000 + start, 5000)
    for s in rng:
        d = head + "%04d" % s
        if mod11(d) == passes:
            return d
    raise ValueError(head)


def dash(d):
    return d[:6] + "-" + d[6:]


def space(d):
    return d[:6] + " " + d[6:]
