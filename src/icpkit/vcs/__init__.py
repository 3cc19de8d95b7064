"""Git only: running git, a file's history, and the two sides a diff compares."""
