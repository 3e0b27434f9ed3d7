"""A src-layout package."""


def greeting() -> str:
    return "hello from pk_src_layout"
