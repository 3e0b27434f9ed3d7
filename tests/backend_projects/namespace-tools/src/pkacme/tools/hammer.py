def hit() -> str:
    return "bang"
