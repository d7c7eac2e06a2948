"""Connection handling: settings to Cluster/Session, cqlengine registry, errors, fork."""

import copy
import os

import cassandra
import pytest
from cassandra.cqlengine import connection as cqlengine_connection
from django.conf import settings
from django.db import connections, utils
from testapp.models import ExampleModel

from django_cassandra_engine import connection as shared
from django_cassandra_engine.connection import ConnectionSettings

pytestmark = pytest.mark.django_db(databases=["default", "cassandra2"])


def settings_copy(database: dict) -> dict:
    """A deep copy of a DATABASES entry; an ssl_context (a TLS run's) is shared, as an
    SSLContext cannot be copied."""
    context = database.get("OPTIONS", {}).get("connection", {}).get("ssl_context")
    return copy.deepcopy(database, {} if context is None else {id(context): context})


def test_settings_go_to_cluster_and_session_and_are_not_modified():
    before = settings_copy(settings.DATABASES["default"])
    ExampleModel.objects.create(example_type=1)
    handle = shared.get("default")
    assert handle.cluster.connect_timeout == 30  # OPTIONS['connection'] -> Cluster()
    assert handle.session.default_timeout == 60  # OPTIONS['session'] -> the session
    assert settings.DATABASES["default"] == before


def test_connection_settings_parsing():
    config = ConnectionSettings.from_settings(
        "x",
        {
            "NAME": "ks",
            "HOST": "db1.example.com, db2.example.com",
            "PORT": "9142",
            "USER": "u",
            "PASSWORD": "p",
            "OPTIONS": {
                "connection": {
                    "consistency": 6,
                    "retry_connect": True,
                    "lazy_connect": True,
                    "compression": True,
                    "default": True,
                },
                "session": {"default_fetch_size": 10},
            },
        },
    )
    assert config.hosts == ("db1.example.com", "db2.example.com") and not config.is_embedded
    kwargs = config.cluster_kwargs()
    assert kwargs["contact_points"] == ["db1.example.com", "db2.example.com"]
    assert kwargs["port"] == 9142 and kwargs["compression"] is True
    assert not {"consistency", "retry_connect", "lazy_connect", "default"} & set(kwargs)
    assert kwargs["auth_provider"].username == "u" and kwargs["auth_provider"].password == "p"
    assert config.consistency == 6 and config.session_options == {"default_fetch_size": 10}
    cloud = ConnectionSettings.from_settings(
        "y",
        {"NAME": "ks", "OPTIONS": {"connection": {"cloud": {"secure_connect_bundle": "/b.zip"}}}},
    )
    assert not cloud.is_embedded
    assert cloud.cluster_kwargs() == {"cloud": {"secure_connect_bundle": "/b.zip"}}
    for host in ("", "embedded"):
        assert ConnectionSettings.from_settings("z", {"NAME": "ks", "HOST": host}).is_embedded


def test_databases_are_registered_with_cqlengine():
    ExampleModel.objects.count()
    registry_session = cqlengine_connection.get_session("default")
    assert registry_session is connections["default"].session
    assert cqlengine_connection.get_session() is registry_session  # the cqlengine default
    assert cqlengine_connection.get_session("cassandra2") is connections["cassandra2"].session


def test_driver_errors_are_django_errors_and_still_driver_errors():
    with pytest.raises(utils.ProgrammingError) as error:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
    assert isinstance(error.value, cassandra.InvalidRequest)
    assert isinstance(error.value.__cause__, cassandra.InvalidRequest)
    with pytest.raises(utils.ProgrammingError, match="no_such_keyspace"):
        ExampleModel.objects.using(keyspace="no_such_keyspace").count()


def test_protocol_errors_keep_the_connection_working():
    # SyntaxException is one of the driver's protocol error classes, which register their
    # subclasses as decoders: the Django error made from one must not replace the driver's.
    from cassandra.protocol import SyntaxException

    for _ in range(2):
        with pytest.raises(utils.ProgrammingError) as error:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELEKT 1")
        assert isinstance(error.value, SyntaxException)
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT release_version FROM system.local")
        assert cursor.fetchone()


def test_server_errors_without_a_driver_class_are_operational_errors():
    # Cassandra answers 0x1700 (CAS_WRITE_UNKNOWN) when a lightweight transaction's proposal
    # reached too few replicas; the driver has no class for it and raises ErrorMessage.
    from cassandra.protocol import ErrorMessage

    from django_cassandra_engine.errors import django_errors

    message = "CAS operation result is unknown - proposal accepted by 1 but not a quorum."
    with pytest.raises(utils.OperationalError, match="proposal accepted by 1") as error:
        with django_errors():
            raise ErrorMessage(0x1700, message, {})
    assert isinstance(error.value, ErrorMessage) and error.value.code == 0x1700


def test_cursor_runs_cql_with_parameters():
    ExampleModel.objects.create(example_type=4, description="via orm")
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT description FROM example_model WHERE example_type = %s", [4])
        assert cursor.fetchall() == [("via orm",)]
        assert cursor.description[0][0] == "description"


def test_reconnects_after_fork():
    ExampleModel.objects.create(example_type=1)
    parent_session = shared.get("default").session
    pid = os.fork()
    if pid == 0:  # child: must not use the parent's driver threads and sockets
        status = 1
        try:
            fresh = ExampleModel.objects.count() == 1
            status = 0 if fresh and shared.get("default").session is not parent_session else 2
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert ExampleModel.objects.count() == 1  # the parent's session still works


def test_retry_reads_sends_a_timed_out_read_again():
    from cassandra import ConsistencyLevel
    from cassandra.policies import RetryPolicy, WriteType

    from django_cassandra_engine.policies import RetryReads

    policy = RetryReads(max_retries=2)
    timed_out = {
        "query": None,
        "consistency": ConsistencyLevel.QUORUM,
        "required_responses": 2,
        "received_responses": 1,
        "data_retrieved": False,
    }
    assert policy.on_read_timeout(**timed_out, retry_num=0) == (RetryPolicy.RETRY, None)
    assert policy.on_read_timeout(**timed_out, retry_num=1) == (RetryPolicy.RETRY, None)
    assert policy.on_read_timeout(**timed_out, retry_num=2) == (RetryPolicy.RETHROW, None)
    # Writes keep the driver's decisions (a write may have been applied).
    write = ("query", ConsistencyLevel.QUORUM, WriteType.SIMPLE, 2, 1, 0)
    assert policy.on_write_timeout(*write) == RetryPolicy().on_write_timeout(*write)
    assert eval(repr(policy), {"RetryReads": RetryReads}) == policy != RetryReads()
