from django.http import JsonResponse
from rest_framework import generics

from shop.models import Product
from shop.serializers import ProductSerializer


class ProductList(generics.ListCreateAPIView):
    queryset = Product.objects.all()
    serializer_class = ProductSerializer


class ProductDetail(generics.RetrieveUpdateDestroyAPIView):
    queryset = Product.objects.all()
    serializer_class = ProductSerializer


def basket(request):
    if request.method == "POST":
        request.session["basket"] = [*request.session.get("basket", []), request.POST["item"]]
    return JsonResponse({"basket": request.session.get("basket", [])})
