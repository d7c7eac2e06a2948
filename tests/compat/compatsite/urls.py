from django.urls import path
from shop import views

urlpatterns = [
    path("products/", views.ProductList.as_view()),
    path("products/<uuid:pk>/", views.ProductDetail.as_view()),
    path("basket/", views.basket),
]
