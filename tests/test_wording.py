from qualtui.core.wording import counted


def test_the_noun_is_plural_unless_the_count_is_one() -> None:
    assert counted(1, "lookup") == "1 lookup"
    assert [counted(n, "lookup") for n in (0, 2, 10_000)] == [
        "0 lookups",
        "2 lookups",
        "10000 lookups",
    ]
    assert counted(1, "entry", "entries") == "1 entry"
    assert counted(3, "entry", "entries") == "3 entries"
