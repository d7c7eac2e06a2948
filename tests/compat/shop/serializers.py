from django_cassandra_engine.rest.serializers import DjangoCassandraModelSerializer
from shop.models import PriceChange, Product


class ProductSerializer(DjangoCassandraModelSerializer):
    class Meta:
        model = Product
        fields = "__all__"


class PriceChangeSerializer(DjangoCassandraModelSerializer):
    class Meta:
        model = PriceChange
        fields = "__all__"
