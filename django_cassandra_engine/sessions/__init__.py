"""Django sessions stored in Cassandra, expiring by TTL.

INSTALLED_APPS: ``'django_cassandra_engine.sessions'`` (instead of, or beside,
``'django.contrib.sessions'``); ``SESSION_ENGINE = 'django_cassandra_engine.sessions.backends.db'``.
"""
