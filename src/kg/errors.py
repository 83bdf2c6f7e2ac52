"""One exception base, :class:`KgError`, and the few precise failures kg reports.

Library code raises these; only :mod:`kg.cli` turns them into messages and exit codes,
and only :mod:`kg.web` turns them into HTTP statuses.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "KgError",
    "InputError",
    "ParseError",
    "ValidationFailed",
    "QueryError",
    "QuerySyntaxError",
    "ParameterError",
    "UnknownQueryError",
    "UnsafeQueryError",
    "QueryTimeout",
    "ServiceBusy",
    "ResultTooLarge",
    "UnknownEntity",
    "AmbiguousEntity",
    "EndpointUnreachable",
    "EndpointError",
]


class KgError(Exception):
    """Base class of every error kg raises on purpose."""

    #: exit code the CLI uses for this kind of failure
    exit_code: int = 2


class InputError(KgError):
    """A path, directory or option that cannot be used (missing file, empty data folder...)."""


class ParseError(KgError):
    """An RDF file that is not well-formed: carries the file, line and column (1-based)."""

    def __init__(self, message: str, *, path: Path | str | None = None,
                 line: int | None = None, column: int | None = None,
                 hint: str | None = None) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        #: how to fix it, when the mistake is a common one (an unescaped quote...)
        self.hint = hint
        super().__init__(self.location_message() + (f"\nhint: {hint}" if hint else ""))

    def location_message(self) -> str:
        where = [str(self.path) if self.path else "<input>"]
        if self.line is not None:
            where.append(str(self.line))
            if self.column is not None:
                where.append(str(self.column))
        return f"{':'.join(where)}: {self.message}"


class ValidationFailed(KgError):
    """The data does not conform to the shapes; ``report`` holds every result."""

    exit_code = 1

    def __init__(self, report: object) -> None:
        self.report = report
        super().__init__(str(getattr(report, "summary", "validation failed")))


class QueryError(KgError):
    """A query that cannot be run as asked."""


class QuerySyntaxError(QueryError):
    """SPARQL text that does not parse; carries line and column where known."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(f"SPARQL syntax error: {where}{message}")


class ParameterError(QueryError):
    """A named-query parameter that is unknown, missing or of the wrong kind."""


class UnknownQueryError(QueryError):
    """A named query that does not exist."""


class UnsafeQueryError(QueryError):
    """A query the read-only endpoint refuses: updates, SERVICE, LOAD, foreign FROM graphs."""


class QueryTimeout(QueryError):
    """A query that ran past its time limit and was stopped."""

    exit_code = 3


class ServiceBusy(QueryError):
    """Every worker stayed busy for too long: the query was not run (try again)."""

    exit_code = 3


class ResultTooLarge(QueryError):
    """A result with more rows than the configured cap."""


class _NamedEntityError(QueryError):
    """A name that does not pick one entity: ``candidates`` are the entities it may have
    meant; ``what`` the name was given as ("entity", "start entity"), by which a surface
    names its own parameter (``parameter``: ``/api/paths``' "from")."""

    def __init__(self, message: str, *, candidates: list[dict[str, object]] | None = None,
                 what: str = "entity") -> None:
        self.candidates = list(candidates or [])
        self.what = what
        self.parameter: str | None = None
        super().__init__(message)


class UnknownEntity(_NamedEntityError):
    """A name, alternative name or IRI that matches no entity; ``candidates`` holds the
    nearest matches (dicts with ``iri``, ``label``, ``score``)."""


class AmbiguousEntity(_NamedEntityError):
    """A name that several entities bear; ``candidates`` lists them."""


class EndpointUnreachable(KgError):
    """A remote SPARQL endpoint that cannot be reached; ``url`` names it and ``reason`` says
    why (connection refused, no such host, timed out...); ``what`` it is, for the message
    (a Graph Store endpoint, when writing)."""

    def __init__(self, url: str, reason: str, *, what: str = "SPARQL endpoint") -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"cannot reach the {what} {url}: {reason}")


class EndpointError(QueryError):
    """A remote SPARQL endpoint that answered with an error (``status``, its ``url``)."""

    def __init__(self, message: str, *, url: str, status: int | None = None) -> None:
        self.url = url
        self.status = status
        super().__init__(message)
