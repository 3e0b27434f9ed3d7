from pk_src_layout import greeting


def test_greeting() -> None:
    assert greeting().startswith("hello")
