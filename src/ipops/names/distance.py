"""Edit distance of two words or names, bounded so that long names stay cheap."""

from __future__ import annotations


def edit_distance(a: str, b: str, limit: int = 4) -> int:
    """Edit distance of ``a`` and ``b`` (Levenshtein with adjacent transpositions, the
    optimal string alignment distance), or ``limit + 1`` once it exceeds ``limit``.

    Only the band of cells within ``limit`` of the diagonal is computed (Ukkonen 1985), so
    the cost is linear in the length of the names.
    """
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    over = limit + 1
    width = len(b) + 1
    before = [over] * width
    previous = [j if j <= limit else over for j in range(width)]
    for i in range(1, len(a) + 1):
        current = [over] * width
        if i <= limit:
            current[0] = i
        char_a = a[i - 1]
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            char_b = b[j - 1]
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                cost = min(cost, before[j - 2] + 1)  # a transposition: "univeristy"
            current[j] = cost
        if min(current) > limit:
            return over
        before, previous = previous, current
    return min(previous[-1], over)
