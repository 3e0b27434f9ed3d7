"""The console script of pk-src-layout: prints the version and reads package data."""

from importlib.metadata import version
from importlib.resources import files

from pk_src_layout import greeting


def main() -> None:
    template = files("pk_src_layout").joinpath("templates/index.html").read_text()
    print(f"pk-src-layout {version('pk-src-layout')}: {greeting()} ({len(template)} bytes)")
