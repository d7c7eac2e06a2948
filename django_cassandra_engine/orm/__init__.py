"""Django's own models (``django.db.models.Model``) on Cassandra.

Django's compiler hands a ``Query`` to the classes in ``base/compiler.py``; they turn it into a
plan (``plan.py``): CQL reads for what CQL can answer (partition-key lookups, ``IN``, indexed
equality) and steps run in Python for the rest (joins along foreign keys, filters CQL cannot
express, grouping, ordering, slicing), over rows whose count is bounded by
``CASSANDRA_MAX_SCANNED_ROWS``. Writes go through ``writes.py``: primary keys from
``sequences.py`` for ``AutoField``, uniqueness claimed atomically in ``uniqueness.py``.

Values inside the engine are in the *database domain*: what ``Field.get_db_prep_value`` gives
and what the driver returns, normalized by ``values.py`` (timestamps naive UTC, dates
``datetime.date``, durations as microseconds). Django's converters turn them into Python values
on the way out, as with any backend.
"""
