"""The DB-API style exception namespace Django expects on ``DatabaseWrapper.Database``.

Each name is the tuple of driver exception classes Django's error wrapper turns into the Django
error of that name (``issubclass`` accepts a tuple).
"""

from django.db import utils

from django_cassandra_engine.errors import _MAPPING


def _driver_classes(django_class: type[utils.Error]) -> tuple[type[BaseException], ...]:
    return tuple(driver for driver, django in _MAPPING if issubclass(django, django_class))


Error = _driver_classes(utils.Error)
InterfaceError = _driver_classes(utils.InterfaceError)
DatabaseError = _driver_classes(utils.DatabaseError)
DataError = _driver_classes(utils.DataError)
OperationalError = _driver_classes(utils.OperationalError)
IntegrityError = _driver_classes(utils.IntegrityError)
InternalError = _driver_classes(utils.InternalError)
ProgrammingError = _driver_classes(utils.ProgrammingError)
NotSupportedError = _driver_classes(utils.NotSupportedError)


# DB-API type constructors Django fields call (BinaryField.get_db_prep_value).
Binary = bytes
