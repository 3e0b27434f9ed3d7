"""Installed in editable mode: edits show without reinstalling."""

MESSAGE = "original"


def main() -> None:
    print(f"pk-editable says {MESSAGE}")
