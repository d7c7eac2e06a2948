from django.contrib import admin
from django.urls import path
from testapp import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("examples/", views.example_list, name="example-list"),
    path("examples/<uuid:pk>/", views.example_detail, name="example-detail"),
    path("api/profiles/", views.ProfileList.as_view()),
    path("api/profiles/<str:username>/", views.ProfileDetail.as_view()),
]
