from django.contrib import admin

from notes.models import Note


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "created_at")
    list_filter = ("category",)  # exact match on the indexed column
    search_fields = ("=title",)  # CQL compares whole values: no substring search
    list_per_page = 20
