"""Prints the installed version."""

from importlib.metadata import version


def main() -> None:
    print(f"pk-git-project {version('pk-git-project')}")
