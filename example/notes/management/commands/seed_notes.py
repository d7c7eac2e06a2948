"""``manage.py seed_notes``: sample notes for the demo, written when the table is empty."""

import datetime
import random

from django.core.management.base import BaseCommand
from django.utils import timezone

from notes.models import Note

SAMPLES = [
    (
        "Model time series by day",
        1,
        {"cassandra", "modeling"},
        "A partition per sensor and day keeps partitions bounded; cluster by time, newest first.",
    ),
    (
        "Try lightweight transactions",
        2,
        {"cassandra", "lwt"},
        "get_or_create() inserts with IF NOT EXISTS, so two requests cannot both create a row.",
    ),
    (
        "CQL reference: CONTAINS",
        3,
        {"cql", "collections"},
        "WHERE tags CONTAINS 'x' matches rows whose set holds x; an index on the set's values "
        "serves it.",
    ),
    (
        "Migrate the sessions",
        2,
        {"django", "sessions"},
        "Sessions live in Cassandra with a TTL, so expired ones disappear without clearsessions.",
    ),
    (
        "Paging without OFFSET",
        1,
        {"cassandra", "paging"},
        "CQL has no OFFSET: a page is LIMIT n, and later pages read the rows before them.",
    ),
    (
        "Time zones",
        3,
        {"django", "timezones"},
        "Timestamps come back aware in UTC; templates show them in the visitor's time zone.",
    ),
    (
        "Write a benchmark",
        2,
        {"cqld", "performance"},
        "Compare cqld with a Cassandra node on the same machine: throughput and p99.",
    ),
    (
        "Batch writes per partition",
        1,
        {"cassandra", "batches"},
        "Batches are for atomicity within a partition, not for speed across partitions.",
    ),
    (
        "Admin for Cassandra models",
        3,
        {"django", "admin"},
        "The change list pages with COUNT and LIMIT; filters compare exact values.",
    ),
    (
        "Secondary indexes",
        3,
        {"cql", "indexes"},
        "category has a secondary index, so plain CQL needs no ALLOW FILTERING for "
        "WHERE category = 2.",
    ),
    ("Counter columns", 1, {"cassandra", "counters"}, "Counters change by increments only."),
    ("Plan the next release", 2, {"planning"}, "Docs, changelog, a demo worth showing."),
]


class Command(BaseCommand):
    help = "Writes sample notes into an empty notes table (several copies of each sample)."

    def add_arguments(self, parser):
        parser.add_argument("--copies", type=int, default=2, help="Copies of each sample.")

    def handle(self, *args, copies, **options):
        if Note.objects.exists():
            self.stdout.write("Notes already exist; nothing written.")
            return
        rng = random.Random(15)
        now = timezone.now()
        written = 0
        for copy in range(copies):
            for title, category, tags, body in SAMPLES:
                age = datetime.timedelta(hours=rng.randint(1, 24 * 40), minutes=rng.randint(0, 59))
                Note.objects.create(
                    title=title if copy == 0 else f"{title} ({copy + 1})",
                    category=category,
                    tags=tags,
                    body=body,
                    created_at=now - age,
                )
                written += 1
        self.stdout.write(f"Wrote {written} sample notes.")
