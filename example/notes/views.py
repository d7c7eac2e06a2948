from django import forms
from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render

from django_cassandra_engine.admin import CassandraPaginator
from notes import cqllog
from notes.models import CATEGORIES, Note

NOTES_PER_PAGE = 10


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["title", "category", "body", "tags"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}


def note_list(request):
    notes = Note.objects.all()
    category = _category(request.GET.get("category"))
    if category is not None:
        notes = notes.filter(category=category)  # the secondary index on category
    tag = request.GET.get("tag", "").strip()
    if tag:
        notes = notes.filter(tags__contains=tag)  # the index on the set's values
    # COUNT(*) for the number of pages, then LIMIT: rows come in token order.
    page = CassandraPaginator(notes, NOTES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notes/list.html",
        {
            "page": page,
            "links": _page_links(page, category, tag),
            "categories": [(n, label, _filter_url(n, tag)) for n, label in CATEGORIES],
            "all_url": _filter_url(None, tag),
            "category": category,
            "category_label": dict(CATEGORIES).get(category),
            "tag": tag,
            "untagged_url": _filter_url(category, ""),
        },
    )


def note_edit(request, pk=None):
    note = get_object_or_404(Note, note_id=pk) if pk else None
    form = NoteForm(request.POST or None, instance=note)
    if request.method == "POST" and form.is_valid():
        note = form.save()
        messages.success(request, f"Saved “{note.title}”.")
        return redirect("note-list")
    return render(request, "notes/edit.html", {"form": form, "note": note})


def note_delete(request, pk):
    note = get_object_or_404(Note, note_id=pk)
    if request.method == "POST":
        note.delete()
        messages.success(request, f"Deleted “{note.title}”.")
    return redirect("note-list")


def cql_log(request):
    requests = cqllog.recent_requests()
    for record in requests:
        record["rows"] = [
            {"cql": entry["sql"], "ms": cqllog.milliseconds(entry), "pages": entry.get("pages", 1)}
            for entry in record["statements"]
        ]
        record["total_ms"] = sum(row["ms"] or 0 for row in record["rows"])
    return render(request, "notes/cql.html", {"requests": requests})


def _category(value):
    choices = {str(number): number for number, _ in CATEGORIES}
    return choices.get(value)


def _filter_url(category, tag, page=None):
    query = QueryDict(mutable=True)
    if category is not None:
        query["category"] = category
    if tag:
        query["tag"] = tag
    if page is not None and page > 1:
        query["page"] = page
    return f"?{query.urlencode()}" if query else "?"


def _page_links(page, category, tag):
    paginator = page.paginator
    links = {}
    if page.has_previous():
        links["first"] = _filter_url(category, tag, 1)
        links["previous"] = _filter_url(category, tag, page.previous_page_number())
    if page.has_next():
        links["next"] = _filter_url(category, tag, page.next_page_number())
        links["last"] = _filter_url(category, tag, paginator.num_pages)
    return links
