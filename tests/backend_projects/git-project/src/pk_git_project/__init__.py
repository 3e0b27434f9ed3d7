"""A package versioned from git."""
