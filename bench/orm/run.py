"""Common ORM operations on ordinary Django models, on Cassandra (the embedded cqld, or a node
with --cassandra HOST:PORT) and on SQLite, side by side in one run.

    .venv/bin/python bench/orm/run.py [--articles 1000] [--rounds 200]

Each database gets the same data (50 authors, --articles articles), then each operation runs
--rounds times per database, alternating between them, and its latency is reported (median and
95th percentile, milliseconds) with the ratio Cassandra / SQLite:
  create             Article.objects.create(...)
  get by pk          Article.objects.get(pk=...)
  indexed filter     list(Article.objects.filter(status=...)[:20]), status has db_index
  changelist page    the admin's changelist of articles (100 a page, list_select_related),
                     rendered through ModelAdmin.changelist_view as a superuser
  select_related 100 list(Article.objects.select_related("author")[:100])
A benchmark, not a test: it measures and reports; it asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATABASES = ("cassandra", "default")  # "default" is SQLite
LABELS = {"cassandra": "Cassandra", "default": "SQLite"}


def setup(data_dir: Path, cassandra: str | None) -> None:
    os.environ["BENCH_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
    if cassandra:
        host, _, port = cassandra.partition(":")
        os.environ["BENCH_CASSANDRA_HOST"], os.environ["BENCH_CASSANDRA_PORT"] = host, port
    sys.path[:0] = [str(HERE), str(ROOT)]
    import django

    django.setup()
    from django.core.management import call_command

    for alias in DATABASES:
        call_command("migrate", database=alias, run_syncdb=True, verbosity=0)


def load(alias: str, articles: int) -> None:
    from django.contrib.auth.models import User
    from django.utils import timezone
    from ormbench.models import Article, Author
    from ormbench.routers import use

    use(alias)
    User.objects.create_superuser("admin", "admin@example.com", "pw")
    authors = Author.objects.bulk_create(
        [Author(name=f"author {i}", email=f"a{i}@example.com") for i in range(50)]
    )
    now = timezone.now()
    Article.objects.bulk_create(
        [
            Article(
                title=f"article {i}",
                body="lorem ipsum " * 20,
                status=i % 3,
                author=authors[i % 50],
                created_at=now - datetime.timedelta(minutes=i),
            )
            for i in range(articles)
        ]
    )


def operations(articles: int) -> dict:
    from django.contrib import admin
    from django.contrib.auth.models import User
    from django.test import RequestFactory
    from django.utils import timezone
    from ormbench.models import Article, Author

    factory = RequestFactory()
    state = {}

    def create():
        Article.objects.create(
            title="new", body="b", status=0, author_id=state["author"], created_at=timezone.now()
        )

    def get_by_pk():
        Article.objects.get(pk=random.choice(state["ids"]))

    def indexed_filter():
        rows = list(Article.objects.filter(status=random.randrange(3))[:20])
        assert len(rows) == 20

    def changelist():
        request = factory.get("/admin/ormbench/article/")
        request.user = state["admin"]
        response = admin.site._registry[Article].changelist_view(request)
        response.render()
        assert response.status_code == 200

    def select_related():
        rows = list(Article.objects.select_related("author")[:100])
        assert len(rows) == 100 and rows[0].author.name

    def prepare():
        state["ids"] = list(Article.objects.values_list("pk", flat=True))
        state["author"] = Author.objects.values_list("pk", flat=True)[0]
        state["admin"] = User.objects.get(username="admin")

    return {
        "prepare": prepare,
        "create": create,
        "get by pk": get_by_pk,
        "indexed filter": indexed_filter,
        "changelist page": changelist,
        "select_related 100": select_related,
    }


def measure(rounds: int, ops: dict) -> dict[str, dict[str, list[float]]]:
    from ormbench.routers import use

    timings: dict[str, dict[str, list[float]]] = {}
    for alias in DATABASES:
        use(alias)
        ops["prepare"]()
        for name in [n for n in ops if n != "prepare"]:
            ops[name]()  # warm up: prepared statements, caches, templates
    for name in [n for n in ops if n != "prepare"]:
        for _ in range(rounds):
            for alias in DATABASES:
                use(alias)
                started = time.perf_counter()
                ops[name]()
                elapsed = (time.perf_counter() - started) * 1000
                timings.setdefault(name, {}).setdefault(alias, []).append(elapsed)
    return timings


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(timings: dict, args: argparse.Namespace, target: str) -> str:
    lines = [
        f"# ORM operations on Django models: {target} and SQLite",
        "",
        "bench/orm/run.py: the same models and data (50 authors, "
        f"{args.articles} articles) in both databases; each operation {args.rounds} times "
        "per database, alternating; latency in milliseconds (median, 95th percentile).",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, Django {_django_version()}; commit {_commit()}; "
        # Other work on the machine slows both databases; the load says how much there was.
        f"load average {os.getloadavg()[1]:.1f} at the end (5 min).",
        "",
        f"| operation | {target} median | {target} p95 | SQLite median | SQLite p95 | "
        "ratio (median) |",
        "|---|---|---|---|---|---|",
    ]
    for name, by_alias in timings.items():
        cassandra, sqlite = by_alias["cassandra"], by_alias["default"]
        ratio = statistics.median(cassandra) / statistics.median(sqlite)
        lines.append(
            f"| {name} | {statistics.median(cassandra):.2f} | {percentile(cassandra, 0.95):.2f} "
            f"| {statistics.median(sqlite):.2f} | {percentile(sqlite, 0.95):.2f} "
            f"| {ratio:.1f}x |"
        )
    return "\n".join(lines) + "\n"


def _django_version() -> str:
    import django

    return django.get_version()


def _commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--cassandra", metavar="HOST:PORT", help="a Cassandra node, not cqld")
    parser.add_argument("--output", type=Path, default=HERE / "results.md")
    args = parser.parse_args()
    random.seed(14)
    target = "Cassandra" if args.cassandra else "cqld"
    with tempfile.TemporaryDirectory(prefix="ormbench-") as data_dir:
        setup(Path(data_dir), args.cassandra)
        try:
            for alias in DATABASES:
                load(alias, args.articles)
            timings = measure(args.rounds, operations(args.articles))
        finally:
            if not args.cassandra:
                from django_cassandra_engine import embedded

                embedded.stop_server(Path(data_dir) / "cqld")
            else:
                from django.db import connections

                with connections["cassandra"].schema_editor() as editor:
                    editor.drop_keyspace("ormbench")
    text = report(timings, args, target)
    print(text)
    args.output.write_text(text)
    args.output.with_suffix(".json").write_text(json.dumps(timings))
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
