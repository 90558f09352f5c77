from qualtui.core.generation import Generation


def test_only_the_latest_generation_is_accepted_and_stale_ones_are_counted() -> None:
    generation = Generation()
    first = generation.next()
    second = generation.next()
    assert not generation.accept(first)
    assert generation.accept(second)
    generation.next()  # a cancel: the running request's answer is now stale
    assert not generation.accept(second)
    assert generation.stale == 2
