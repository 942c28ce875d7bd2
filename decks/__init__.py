"""myodeck's deck builder: fact files in, Anki decks and diagrams out."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("myodeck")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
