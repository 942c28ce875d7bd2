"""myodeck's deck builder: fact files in, Anki decks and diagrams out."""

# The one place the version is written; pyproject.toml reads it from here
# (importlib.metadata would cost the quiz's start-up tens of milliseconds).
__version__ = "0.1.0"
