"""Django's async queryset API on DjangoCassandraModel: reads on the driver's asynchronous
execution (no thread, the event loop free while Cassandra answers), writes on worker threads."""

import asyncio
import concurrent.futures
import datetime

import pytest
from testapp.models import ExampleModel, Reading

pytestmark = pytest.mark.django_db(databases=["default"])

T0 = datetime.datetime(2024, 5, 1, 12, 0, tzinfo=datetime.timezone.utc)


class NoThreads(concurrent.futures.ThreadPoolExecutor):
    """An event loop executor that refuses work: what runs under it used no worker thread."""

    def submit(self, *args, **kwargs):
        raise AssertionError("a worker thread was used")


def run(coroutine_function, *, threads=True):
    async def main():
        if not threads:
            asyncio.get_running_loop().set_default_executor(NoThreads())
        return await coroutine_function()

    return asyncio.run(main())


def make_examples(count):
    return [
        ExampleModel.objects.create(example_type=i % 2, created_at=T0, description=f"row {i}")
        for i in range(count)
    ]


def test_reads_use_no_thread():
    rows = make_examples(5)

    async def reads():
        qs = ExampleModel.objects
        got = await qs.aget(example_id=rows[2].example_id)
        with pytest.raises(ExampleModel.DoesNotExist):
            await qs.aget(example_id=rows[0].example_id, example_type=99)
        with pytest.raises(ExampleModel.MultipleObjectsReturned):
            await qs.filter(example_type=0).aget()
        listed = [row.example_id async for row in qs.all()]
        return (
            got.description,
            await qs.acount(),
            await qs.filter(example_type=1).acount(),
            await qs.filter(example_type=1).aexists(),
            await qs.filter(example_type=5).aexists(),
            (await qs.filter(example_id=rows[4].example_id).afirst()).description,
            await qs.filter(example_type=5).afirst(),
            sorted(listed) == sorted(row.example_id for row in rows),
            sorted(await qs.ain_bulk([rows[0].example_id, rows[1].example_id])),
            await qs.filter(example_id=rows[3].example_id).values_list("description").afirst(),
        )

    assert run(reads, threads=False) == (
        "row 2",
        5,
        2,
        True,
        False,
        "row 4",
        None,
        True,
        sorted([rows[0].example_id, rows[1].example_id]),
        ["row 3"],
    )


def test_async_for_pages_through_many_rows():
    for minute in range(25):
        Reading.objects.create(sensor="s", taken_at=T0 + datetime.timedelta(minutes=minute))

    async def read():
        pages = Reading.objects.filter(sensor="s").fetch_size(4)
        return [row.taken_at async for row in pages.aiterator(chunk_size=4)]

    taken = run(read, threads=False)
    assert len(taken) == 25 and taken == sorted(taken, reverse=True)  # clustering DESC


def test_the_event_loop_runs_while_cassandra_answers():
    make_examples(3)

    async def measure():
        ticks = 0
        stop = False

        async def ticker():
            nonlocal ticks
            while not stop:
                ticks += 1
                await asyncio.sleep(0)

        task = asyncio.create_task(ticker())
        await asyncio.sleep(0)
        progress = []
        for query in (
            ExampleModel.objects.acount(),
            ExampleModel.objects.afirst(),
            ExampleModel.objects.acreate(example_type=1, created_at=T0),
        ):
            before = ticks
            await query
            progress.append(ticks - before)
        stop = True
        await task
        return progress

    assert all(ticks > 0 for ticks in run(measure))  # another task ran during each query


def test_writes():
    async def writes():
        qs = ExampleModel.objects
        made = await qs.acreate(example_type=3, created_at=T0, description="async")
        again, created = await qs.aget_or_create(
            example_id=made.example_id, defaults={"example_type": 9}
        )
        assert not created and again.example_type == 3
        made.description = "saved"
        await made.asave()
        assert (await qs.aget(example_id=made.example_id)).description == "saved"
        await qs.filter(example_id=made.example_id).aupdate(description="updated")
        assert (await qs.aget(example_id=made.example_id)).description == "updated"
        _, created = await qs.aupdate_or_create(
            example_id=made.example_id, defaults={"example_type": 4, "created_at": T0}
        )
        assert created is False
        other = await qs.acreate(example_type=5, created_at=T0)
        await other.adelete()
        await qs.filter(example_id=made.example_id).adelete()
        return await qs.acount()

    assert run(writes) == 0


def test_errors_are_django_errors():
    from django.db import ProgrammingError

    async def bad():
        await ExampleModel.objects.filter(description="x").using(keyspace="no_such_ks").acount()

    with pytest.raises(ProgrammingError):
        run(bad, threads=False)


def test_aget_object_or_404():
    shortcuts = pytest.importorskip("django.shortcuts")
    if not hasattr(shortcuts, "aget_object_or_404"):
        pytest.skip("aget_object_or_404 is Django 5.0+")
    (row,) = make_examples(1)
    found = run(lambda: shortcuts.aget_object_or_404(ExampleModel, example_id=row.example_id))
    assert found.description == "row 0"
