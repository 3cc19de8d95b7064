"""Exceptions that stop a command. Findings are values, not exceptions."""

from __future__ import annotations


class IcpError(Exception):
    """A problem that stops the command: shown as one `Error:` line, exit code 2."""


class UsageError(IcpError):
    """The command was asked for something it cannot do (missing path, no ICP files)."""


class ConfigError(IcpError):
    """The project settings ([tool.icp] or icp.toml) are invalid."""


class InputError(IcpError):
    """An input file cannot be used at all (for commands that need a valid ICP)."""
