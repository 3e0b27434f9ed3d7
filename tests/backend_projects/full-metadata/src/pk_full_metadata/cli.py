"""Console and GUI entry points of pk-full-metadata."""


def main() -> None:
    print("pk-full")


def gui() -> None:
    print("pk-full-gui")
