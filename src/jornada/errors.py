"""One exception hierarchy for the whole package.

Every error a user can cause derives from :class:`JornadaError`; the CLI turns it into a
one-line message and a non-zero exit code, the web layer into a 4xx response.
"""

from __future__ import annotations


class JornadaError(Exception):
    """Base class for every error jornada reports to a user."""

    exit_code = 2
    http_status = 400


class MapError(JornadaError):
    """A journey map is malformed or inconsistent.

    ``loc`` is the path inside the map (``("touchpoints", 3, "stage")``); ``source`` and
    ``line`` say where in which file, once known.
    """

    def __init__(
        self,
        message: str,
        loc: tuple[str | int, ...] = (),
        *,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.loc = loc
        self.source = source
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(self.source)
            if self.line is not None:
                where.append(str(self.line))
                if self.column is not None:
                    where.append(str(self.column))
        prefix = ":".join(where)
        path = format_loc(self.loc)
        parts = [p for p in (prefix, path) if p]
        return f"{': '.join(parts)}: {self.message}" if parts else self.message


class DemoError(JornadaError):
    """The demo-world generator was asked for something it cannot make."""


def format_loc(loc: tuple[str | int, ...]) -> str:
    """``("touchpoints", 3, "stage")`` -> ``touchpoints[3].stage``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
