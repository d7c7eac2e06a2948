"""Django models (django.db.models.Model) on Cassandra: queries through the compiler's plans.

The models are in ormapp/, migrated into the default Cassandra database. Each test checks
results against what Django's SQL backends give, and for some the plan (QuerySet.explain()).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import NotSupportedError, connection, transaction
from django.db.models import Avg, Count, Exists, F, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Concat, ExtractYear, Lower, Upper
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from ormapp.models import Author, Book, Review, Tag, Token

pytestmark = pytest.mark.django_db(databases=["default"])


@pytest.fixture
def library():
    ada = Author.objects.create(name="Ada", country="UK", born=datetime.date(1815, 12, 10))
    grace = Author.objects.create(name="Grace", country="US", born=datetime.date(1906, 12, 9))
    alan = Author.objects.create(name="Alan", country="UK")
    python, cql, history = (Tag.objects.create(label=t) for t in ("python", "cql", "history"))
    when = datetime.datetime(2020, 5, 1, 12, tzinfo=datetime.timezone.utc)
    notes = Book.objects.create(
        title="Notes", author=ada, pages=60, price=Decimal("9.50"), published=when
    )
    compilers = Book.objects.create(title="Compilers", author=grace, pages=300, price=None)
    cobol = Book.objects.create(
        title="COBOL", author=grace, pages=500, price=Decimal("30.00"), published=when
    )
    notes.tags.set([history])
    compilers.tags.set([python, cql])
    cobol.tags.set([history, cql])
    Review.objects.create(book=notes, reader="r1", stars=5)
    Review.objects.create(book=notes, reader="r2", stars=3)
    Review.objects.create(book=cobol, reader="r1", stars=4)
    return {"ada": ada, "grace": grace, "alan": alan, "notes": notes, "cobol": cobol}


def titles(queryset):
    return [book.title for book in queryset]


def test_create_get_update_delete():
    author = Author.objects.create(name="Edsger", country="NL")
    assert isinstance(author.pk, int)
    assert Author.objects.get(pk=author.pk).name == "Edsger"
    assert Author.objects.get(name="Edsger").pk == author.pk
    author.country = "US"
    author.save()
    assert Author.objects.get(pk=author.pk).country == "US"
    assert Author.objects.filter(pk=author.pk).update(country=Upper(Value("nl"))) == 1
    assert Author.objects.get(pk=author.pk).country == "NL"
    assert Author.objects.filter(country="NL").delete() == (1, {"ormapp.Author": 1})
    assert not Author.objects.filter(pk=author.pk).exists()


def test_filters_python_evaluates(library):
    assert titles(Book.objects.filter(title__icontains="co").order_by("title")) == [
        "COBOL",
        "Compilers",
    ]
    assert titles(Book.objects.filter(Q(pages__lt=100) | Q(price__gte=30)).order_by("pages")) == [
        "Notes",
        "COBOL",
    ]
    assert titles(Book.objects.exclude(price=None).order_by("-price")) == ["COBOL", "Notes"]
    # SQL's NULL semantics: exclude(price__gt=10) keeps rows whose price is NULL out only
    # when Django asks for it.
    assert sorted(titles(Book.objects.exclude(price__gt=10))) == ["Compilers", "Notes"]
    assert titles(Book.objects.filter(published__year=2020).order_by("title")) == [
        "COBOL",
        "Notes",
    ]
    assert titles(Book.objects.filter(title__regex=r"^C.*S$")) == []
    assert titles(Book.objects.filter(title__iregex=r"^c.*s$")) == ["Compilers"]


def test_ordering_and_slicing(library):
    ordered = Book.objects.order_by("-pages")
    assert titles(ordered) == ["COBOL", "Compilers", "Notes"]
    assert titles(ordered[1:]) == ["Compilers", "Notes"]
    assert titles(ordered[:1]) == ["COBOL"]
    assert ordered.first().title == "COBOL"
    assert Book.objects.order_by("pages").last().title == "COBOL"
    # NULLs sort first ascending (as SQLite does), or where the ordering says.
    assert titles(Book.objects.order_by("price", "title")) == ["Compilers", "Notes", "COBOL"]
    assert titles(Book.objects.order_by(F("price").asc(nulls_last=True))) == [
        "Notes",
        "COBOL",
        "Compilers",
    ]
    assert [a.name for a in Author.objects.all()] == ["Ada", "Alan", "Grace"]  # Meta.ordering


def test_joins_select_related_and_prefetch(library):
    assert titles(Book.objects.filter(author__country="US").order_by("title")) == [
        "COBOL",
        "Compilers",
    ]
    with CaptureQueriesContext(connection) as queries:
        books = list(Book.objects.select_related("author").order_by("title"))
        assert [b.author.name for b in books] == ["Grace", "Grace", "Ada"]
    assert len(queries) == 1  # one ORM query, whatever the CQL requests
    with CaptureQueriesContext(connection) as queries:
        authors = list(Author.objects.prefetch_related("books").order_by("name"))
        assert [sorted(titles(a.books.all())) for a in authors] == [
            ["Notes"],
            [],
            ["COBOL", "Compilers"],
        ]
    assert len(queries) == 2
    assert sorted(t.label for t in library["cobol"].tags.all()) == ["cql", "history"]
    assert titles(Book.objects.filter(tags__label="cql").order_by("title")) == [
        "COBOL",
        "Compilers",
    ]
    assert list(
        Author.objects.filter(books__tags__label="history")
        .distinct()
        .values_list("name", flat=True)
    ) == ["Ada", "Grace"]
    # A LEFT OUTER JOIN keeps authors without books.
    assert list(Author.objects.filter(books__isnull=True).values_list("name", flat=True)) == [
        "Alan"
    ]


def test_aggregates_and_annotations(library):
    totals = Book.objects.aggregate(total=Sum("pages"), most=Max("pages"), n=Count("id"))
    assert totals == {"total": 860, "most": 500, "n": 3}
    assert Book.objects.filter(price__isnull=False).aggregate(avg=Avg("price"))["avg"] == Decimal(
        "19.75"
    )
    counts = dict(Author.objects.annotate(n=Count("books")).values_list("name", "n"))
    assert counts == {"Ada": 1, "Alan": 0, "Grace": 2}
    # values_list() rows are tuples, hashable (Django's create_permissions puts them in a set).
    assert set(Author.objects.values_list("name", "country")) == {
        ("Ada", "UK"), ("Alan", "UK"), ("Grace", "US")
    }  # fmt: skip
    assert list(
        Author.objects.annotate(n=Count("books")).filter(n__gt=1).values_list("name", flat=True)
    ) == ["Grace"]
    by_country = Author.objects.values("country").annotate(n=Count("id")).order_by("country")
    assert list(by_country) == [{"country": "UK", "n": 2}, {"country": "US", "n": 1}]
    labels = Book.objects.annotate(
        label=Concat(Lower("title"), Value(" by "), "author__name")
    ).order_by("title")
    assert [b.label for b in labels] == ["cobol by Grace", "compilers by Grace", "notes by Ada"]
    years = Book.objects.annotate(year=ExtractYear("published")).filter(year=2020)
    assert sorted(titles(years)) == ["COBOL", "Notes"]
    assert Book.objects.filter(pages__gt=F("author__books__pages")).count() == 1
    assert Book.objects.count() == 3
    assert Book.objects.filter(author__name="Grace").count() == 2


def test_subqueries(library):
    reviewed = Review.objects.filter(book=OuterRef("pk"))
    assert sorted(titles(Book.objects.filter(Exists(reviewed)))) == ["COBOL", "Notes"]
    best = Review.objects.filter(book=OuterRef("pk")).order_by("-stars").values("stars")[:1]
    stars = dict(Book.objects.annotate(best=Subquery(best)).values_list("title", "best"))
    assert stars == {"Notes": 5, "Compilers": None, "COBOL": 4}
    uk = Author.objects.filter(country="UK")
    assert titles(Book.objects.filter(author__in=uk)) == ["Notes"]
    assert sorted(titles(Book.objects.filter(pk__in=Review.objects.values("book")))) == [
        "COBOL",
        "Notes",
    ]


def test_union_and_values(library):
    short = Book.objects.filter(pages__lt=100).values_list("title", flat=True)
    long = Book.objects.filter(pages__gt=400).values_list("title", flat=True)
    assert sorted(short.union(long)) == ["COBOL", "Notes"]
    assert list(short.union(long).order_by("title")) == ["COBOL", "Notes"]
    assert list(short.difference(long)) == ["Notes"]
    assert list(Book.objects.values("title").order_by("title")[:1]) == [{"title": "COBOL"}]
    assert list(
        Author.objects.values_list("country", flat=True).distinct().order_by("country")
    ) == [
        "UK",
        "US",
    ]


def test_unique_and_not_null_are_enforced(library):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError, match=r"ormapp_author\.name"):
        Author.objects.create(name="Ada", country="FR")
    with pytest.raises(IntegrityError, match="ormapp_review"):
        Review.objects.create(book=library["notes"], reader="r1", stars=1)
    with pytest.raises(IntegrityError, match="NOT NULL"):
        Author.objects.create(name=None, country="FR")
    with pytest.raises(IntegrityError, match="must be positive"):
        Book.objects.create(title="Negative", author=library["ada"], pages=-1)
    # A changed unique value frees the old one.
    ada = library["ada"]
    ada.name = "Augusta Ada"
    ada.save()
    Author.objects.create(name="Ada", country="FR")
    with pytest.raises(IntegrityError):
        Author.objects.filter(pk=ada.pk).update(name="Grace")
    assert Author.objects.get(pk=ada.pk).name == "Augusta Ada"
    # An explicit primary key that exists is an IntegrityError, as in SQL.
    Token.objects.create(key="t1")
    with pytest.raises(IntegrityError, match="primary key"):
        Token.objects.create(key="t1")
    assert Token.objects.get_or_create(key="t1")[1] is False


def test_bulk_create_and_explicit_ids():
    authors = Author.objects.bulk_create(
        [Author(name=f"writer {i}", country="FR") for i in range(30)]
    )
    ids = [a.pk for a in authors]
    assert len(set(ids)) == 30 and all(isinstance(i, int) for i in ids)
    assert Author.objects.filter(country="FR").count() == 30
    # An explicit key the sequence would have given next is skipped by the sequence.
    following = Author.objects.create(name="following", country="FR").pk + 1
    Author.objects.create(id=following, name="explicit", country="FR")
    later = Author.objects.create(name="later", country="FR")
    assert later.pk > following
    Author.objects.bulk_create([Author(name="writer 1", country="DE")], ignore_conflicts=True)
    assert not Author.objects.filter(country="DE").exists()


def test_transactions_and_locks():
    assert not connection.features.supports_transactions
    with pytest.raises(RuntimeError), transaction.atomic():
        Author.objects.create(name="Kept", country="PT")
        raise RuntimeError("atomic() runs in autocommit: the row stays")
    assert Author.objects.filter(name="Kept").exists()
    with pytest.raises(NotSupportedError, match="no row locks"):
        list(Author.objects.select_for_update())
    with pytest.raises(NotSupportedError, match="no row locks"), transaction.atomic():
        list(Author.objects.select_for_update(nowait=True))
    # update_or_create() reads with select_for_update() in atomic(): it works, unlocked.
    _, created = Author.objects.update_or_create(name="Kept", defaults={"country": "ES"})
    assert not created and Author.objects.get(name="Kept").country == "ES"


def test_explain_shows_cql_and_python_steps(library):
    plan = Author.objects.filter(country="UK", name__icontains="a").explain()
    assert "CQL  read ormapp_author where country in ('UK') (index" in plan
    assert "PY   filter" in plan and "icontains" in plan
    plan = Book.objects.filter(pk=library["notes"].pk).select_related("author").explain()
    assert "(primary key)" in plan
    assert "INNER JOIN ormapp_author" in plan and "(by primary key)" in plan
    plan = Book.objects.filter(title="Notes").order_by("-pages").explain()
    assert plan.startswith("CQL  scan ormapp_book") and "PY   order by" in plan
    analyzed = Book.objects.filter(title="Notes").explain(analyze=True)
    assert "1 rows returned, 3 rows read from CQL" in analyzed


def test_scan_limit_names_what_would_make_it_efficient(library):
    with override_settings(CASSANDRA_MAX_SCANNED_ROWS=2):
        with pytest.raises(NotSupportedError, match="CASSANDRA_MAX_SCANNED_ROWS") as error:
            list(Book.objects.filter(title="Notes"))
        assert "indexed column" in str(error.value)
        # A primary key or an index finds the rows without a scan.
        assert Book.objects.get(pk=library["notes"].pk).title == "Notes"
        assert list(Author.objects.filter(country="US").values_list("name", flat=True)) == ["Grace"]


def test_datetimes_are_aware_and_milliseconds():
    author = Author.objects.create(name="Timely", country="SE")
    when = timezone.now()
    book = Book.objects.create(title="T", author=author, pages=1, published=when)
    stored = Book.objects.get(pk=book.pk).published
    assert stored.tzinfo is not None
    assert stored == when.replace(microsecond=when.microsecond // 1000 * 1000)
    assert Book.objects.filter(published__lte=when).count() == 1


def test_many_to_many_prefetch(library):
    with CaptureQueriesContext(connection) as queries:
        books = list(Book.objects.prefetch_related("tags").order_by("title"))
        labels = [sorted(t.label for t in book.tags.all()) for book in books]
    assert labels == [["cql", "history"], ["cql", "python"], ["history"]]
    assert len(queries) == 2
