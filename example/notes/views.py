import datetime

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from notes.models import Note


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["title", "category", "body", "tags"]


def note_list(request):
    category = request.GET.get("category")
    notes = Note.objects.all()
    if category:
        notes = notes.filter(category=int(category))  # served by the secondary index
    return render(
        request,
        "notes/list.html",
        {
            "notes": sorted(
                notes, key=lambda n: n.created_at or datetime.datetime.min, reverse=True
            ),
            "categories": Note._meta.get_field("category").choices,
            "category": category,
        },
    )


def note_edit(request, pk=None):
    note = get_object_or_404(Note, note_id=pk) if pk else None
    form = NoteForm(request.POST or None, instance=note)
    if request.method == "POST" and form.is_valid():
        note = form.save(commit=False)
        if note.created_at is None:
            note.created_at = datetime.datetime.now(datetime.timezone.utc)
        note.save()
        messages.success(request, f"Saved “{note.title}”.")
        return redirect("note-list")
    return render(request, "notes/edit.html", {"form": form, "note": note})


def note_delete(request, pk):
    note = get_object_or_404(Note, note_id=pk)
    if request.method == "POST":
        note.delete()
        messages.success(request, f"Deleted “{note.title}”.")
    return redirect("note-list")
