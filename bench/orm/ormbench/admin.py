from django.contrib import admin

from ormbench.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "author", "created_at")
    list_select_related = ("author",)
    list_per_page = 100
