"""Words for counts, with no imports: any module (the CLI's error path included) can use them."""


def plural(n: int, noun: str) -> str:
    """'1 quarter', '2 quarters', '0 quarters': the last word takes an s unless there is one."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
