"""The benchmark's models: ordinary Django models, the same on Cassandra and on SQLite."""

from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100, unique=True)
    email = models.EmailField()

    def __str__(self):
        return self.name


class Article(models.Model):
    STATUSES = [(0, "draft"), (1, "review"), (2, "published")]

    title = models.CharField(max_length=200)
    body = models.TextField()
    status = models.SmallIntegerField(choices=STATUSES, db_index=True)
    author = models.ForeignKey(Author, models.CASCADE, related_name="articles")
    created_at = models.DateTimeField()

    def __str__(self):
        return self.title
