from pk_flat_layout.core import answer


def test_answer() -> None:
    assert answer() == 42
