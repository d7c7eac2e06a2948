"""Driver policies for a database on a cluster, to put in ``OPTIONS["connection"]``.

``RetryReads``: for a few seconds after a node dies, until the failure detector of the other
nodes convicts it (10 to 20 s with Cassandra's defaults), coordinators still send it their
share of each read. A read that has no speculative retry (a token-range scan: ``all()``,
``count()``, the admin's pages) then waits for it and times out ("received only 1 responses"
at QUORUM). The driver's default policy gives such a read up at once; this one sends it again
to the same coordinator (its replicas, not it, were slow: moving on to the next host would
soon exhaust the query plan of a small cluster), up to ``max_retries`` times, until the dead
node is known to be down and replicas that are up answer, all within the request's own timeout
(the session's ``default_timeout``, 10 s unless set: give it more than the failure detector
takes, e.g. ``OPTIONS["session"] = {"default_timeout": 60}``). A read changes nothing, so sending
it again is safe (the read phase of a lightweight transaction comes before its proposal, so the
same holds there). Every other decision is the driver's default::

    from django_cassandra_engine.policies import RetryReads

    DATABASES = {"default": {..., "OPTIONS": {"connection": {
        "default_retry_policy": RetryReads(),
    }}}}
"""

from __future__ import annotations

from typing import Any

from cassandra.policies import RetryPolicy

# Enough attempts to outlast failure detection (about 20 s on the 2-core test cluster): a
# token-range read times out after 10 s (range_request_timeout), a partition read after 5 s.
# All attempts together stay within the session's request timeout (its default_timeout).
DEFAULT_READ_RETRIES = 5


class RetryReads(RetryPolicy):
    """The driver's RetryPolicy, except that a read that timed out is sent again to the same
    coordinator, up to ``max_retries`` times, at the consistency level it was sent at."""

    def __init__(self, max_retries: int = DEFAULT_READ_RETRIES) -> None:
        self.max_retries = max_retries

    def on_read_timeout(
        self,
        query: Any,
        consistency: int,
        required_responses: int,
        received_responses: int,
        data_retrieved: bool,
        retry_num: int,
    ) -> tuple[int, int | None]:
        if retry_num < self.max_retries:
            # None keeps the request's own level (the error's may be a serial read's QUORUM).
            return self.RETRY, None
        return self.RETHROW, None

    def __eq__(self, other: object) -> bool:
        # Settings are compared (Django's test tooling, deep copies): equal settings, equal
        # policies.
        return type(other) is type(self) and other.max_retries == self.max_retries

    def __hash__(self) -> int:
        return hash((type(self), self.max_retries))

    def __repr__(self) -> str:
        # Evaluates back to an equal policy (settings written out as code, e.g. by tests).
        return f"RetryReads(max_retries={self.max_retries})"
