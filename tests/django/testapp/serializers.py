from django_cassandra_engine.rest.serializers import DjangoCassandraModelSerializer
from testapp.models import ExampleModel, Profile, Reading


class ExampleSerializer(DjangoCassandraModelSerializer):
    class Meta:
        model = ExampleModel
        fields = "__all__"


class ProfileSerializer(DjangoCassandraModelSerializer):
    class Meta:
        model = Profile
        fields = "__all__"


class ReadingSerializer(DjangoCassandraModelSerializer):
    class Meta:
        model = Reading
        fields = "__all__"
