from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from rest_framework import generics

from testapp.models import ExampleModel, Profile
from testapp.serializers import ProfileSerializer


def example_list(request):
    rows = ExampleModel.objects.all()[:50]
    return JsonResponse({"examples": [str(row.example_id) for row in rows]})


def example_detail(request, pk):
    example = get_object_or_404(ExampleModel, example_id=pk)
    if example is None:
        raise Http404
    return JsonResponse({"id": str(example.example_id), "description": example.description})


class ProfileList(generics.ListCreateAPIView):
    queryset = Profile.objects.all()
    serializer_class = ProfileSerializer


class ProfileDetail(generics.RetrieveUpdateDestroyAPIView):
    queryset = Profile.objects.all()
    serializer_class = ProfileSerializer
    lookup_field = "username"
