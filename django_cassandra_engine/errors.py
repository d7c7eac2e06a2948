"""Driver errors re-raised as Django's database errors.

The raised exception is an instance of both the Django error (``django.db.utils``) and the
original driver exception class, so ``except django.db.utils.ProgrammingError`` and
``except cassandra.InvalidRequest`` both keep working. The driver exception is the ``__cause__``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager

import cassandra
from cassandra.cluster import NoHostAvailable
from cassandra.connection import ConnectionException
from cassandra.protocol import ErrorMessage, ServerError, SyntaxException
from django.db import utils

# Checked in order: the first matching driver class decides the Django class.
_MAPPING: tuple[tuple[type[BaseException], type[utils.Error]], ...] = (
    (cassandra.AlreadyExists, utils.ProgrammingError),
    (SyntaxException, utils.ProgrammingError),
    (cassandra.Unauthorized, utils.ProgrammingError),
    (cassandra.InvalidRequest, utils.ProgrammingError),
    (cassandra.ConfigurationException, utils.ProgrammingError),
    (cassandra.AuthenticationFailed, utils.OperationalError),
    (cassandra.RequestExecutionException, utils.OperationalError),
    (cassandra.OperationTimedOut, utils.OperationalError),
    (NoHostAvailable, utils.OperationalError),
    (ConnectionException, utils.OperationalError),
    (ServerError, utils.InternalError),
    (cassandra.UnsupportedOperation, utils.NotSupportedError),
    (cassandra.DriverException, utils.DatabaseError),
    # Any other error the server answered, such as a code the driver has no class for: 0x1700,
    # a lightweight transaction whose outcome is unknown (its proposal reached too few replicas).
    (ErrorMessage, utils.OperationalError),
)


def django_error_class(exc: BaseException) -> type[utils.Error] | None:
    for driver_class, django_class in _MAPPING:
        if isinstance(exc, driver_class):
            return django_class
    return None


@functools.cache
def _combined(django_class: type[Exception], driver_class: type[Exception]) -> type[Exception]:
    attributes = {
        "__module__": "django_cassandra_engine.errors",
        "__init__": Exception.__init__,
        "__str__": Exception.__str__,
    }
    code = getattr(driver_class, "error_code", None)
    if code is not None:
        # The driver's protocol error classes (SyntaxException, ServerError...) register each
        # subclass as the decoder of their error code; a combined class must not take that
        # place, or the driver would build it from the next error it receives and fail.
        attributes["error_code"] = None
    combined = type(django_class.__name__, (django_class, driver_class), attributes)
    if code is not None:
        combined.error_code = code
    return combined


def translate(exc: BaseException) -> BaseException | None:
    """The Django error to raise for a driver exception, or None if it is not a driver error."""
    django_class = django_error_class(exc)
    if django_class is None:
        return None
    try:
        combined = _combined(django_class, type(exc))
        error = combined(*exc.args)
    except TypeError:  # a driver class whose layout cannot be combined
        error = django_class(*exc.args)
    error.__dict__.update(getattr(exc, "__dict__", {}))
    return error


@contextmanager
def django_errors() -> Iterator[None]:
    """Re-raises driver errors inside the block as Django database errors."""
    try:
        yield
    except Exception as exc:
        error = translate(exc)
        if error is None:
            raise
        raise error.with_traceback(exc.__traceback__) from exc


class DatabaseErrorWrapper(utils.DatabaseErrorWrapper):
    """Django's wrapper for ``connection.wrap_database_errors``, raising the combined classes."""

    def __exit__(self, exc_type, exc_value, traceback) -> None:
        if exc_type is None:
            return
        error = translate(exc_value)
        if error is None:
            return
        if not isinstance(error, (utils.DataError, utils.IntegrityError)):
            self.wrapper.errors_occurred = True
        raise error.with_traceback(traceback) from exc_value
