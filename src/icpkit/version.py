"""The release, in one place: a leaf, so any layer can name it."""

__version__ = "0.1.0"
