"""{{description}}"""

from importlib.metadata import PackageNotFoundError, version

from {{package}}.core import greet

try:
    __version__ = version("{{name}}")
except PackageNotFoundError:  # imported from a checkout that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__", "greet"]
