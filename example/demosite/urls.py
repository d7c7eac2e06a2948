from django.contrib import admin
from django.urls import path
from notes import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", views.note_list, name="note-list"),
    path("new/", views.note_edit, name="note-create"),
    path("<uuid:pk>/", views.note_edit, name="note-edit"),
    path("<uuid:pk>/delete/", views.note_delete, name="note-delete"),
    path("cql/", views.cql_log, name="cql-log"),
]
