"""Django REST framework support (``pip install django-cassandra-engine[rest]``)."""
