"""Numbers inside sentences: phrases that read right for every value a run can give.

A chapter's text quotes what its cells computed. A count glued into a fixed sentence ("2 of the two
translations match", "On 0 the model prefers ...") reads wrong for some values, so the chapters glue
these phrases instead: a subject with its verb, or a count placed where no verb has to agree with it.

    counted(1, "head")             -> "one head"
    counted(3, "head")             -> "three heads"
    subject(2, "head", "follows", "follow") -> "two heads follow"
    out_of(2, 2, "sentence")       -> "both sentences"
    out_of(0, 8, "position")       -> "none of the eight positions"
    listing(["1", "2", "4"])       -> "1, 2 and 4"
"""

from collections.abc import Sequence

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def number(n: int) -> str:
    """``n`` in words up to ten ("no" for 0), in digits above."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` of a thing: "no heads", "one head", "three heads", "12 heads"."""
    return f"{number(n)} {noun if n == 1 else plural or noun + 's'}"


def subject(n: int, noun: str, verb: str, verb_plural: str, plural: str | None = None) -> str:
    """``n`` things as the subject of ``verb``, agreeing: "no head follows", "one head follows",
    "two heads follow"."""
    if n <= 1:
        return f"{number(n)} {noun} {verb}"
    return f"{number(n)} {plural or noun + 's'} {verb_plural}"


def out_of(n: int, total: int, noun: str, plural: str | None = None) -> str:
    """``n`` of ``total`` things, as the object of a sentence (so that no verb has to agree with it):
    "neither sentence", "one of the two sentences", "all eight positions", "none of the eight positions",
    "12 of the 50 sentences", and "no sentences" when there are none."""
    if not 0 <= n <= total:
        raise ValueError(f"out_of needs 0 <= n <= total, got n={n}, total={total}")
    plural = plural or noun + "s"
    if total == 0:
        return f"no {plural}"
    if total == 1:
        return f"the one {noun}" if n else f"not the one {noun}"
    if total == 2:
        return (f"neither {noun}", f"one of the two {plural}", f"both {plural}")[n]
    if n == total:
        return f"all {number(total)} {plural}"
    return f"{'none' if n == 0 else number(n)} of the {number(total)} {plural}"


def listing(items: Sequence[str]) -> str:
    """Items joined as a sentence lists them: "a", "a and b", "a, b and c"."""
    if not items:
        raise ValueError("listing needs at least one item")
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
