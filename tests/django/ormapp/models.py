"""Django models (django.db.models.Model) stored in Cassandra, for the ORM engine's tests."""

from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100, unique=True)
    country = models.CharField(max_length=2, db_index=True)
    born = models.DateField(null=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Tag(models.Model):
    label = models.SlugField(unique=True)

    def __str__(self):
        return self.label


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, models.CASCADE, related_name="books")
    pages = models.PositiveIntegerField()
    price = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    published = models.DateTimeField(null=True)
    tags = models.ManyToManyField(Tag, related_name="books")

    def __str__(self):
        return self.title


class Review(models.Model):
    book = models.ForeignKey(Book, models.CASCADE, related_name="reviews")
    reader = models.CharField(max_length=50)
    stars = models.SmallIntegerField()

    class Meta:
        unique_together = [("book", "reader")]


class Token(models.Model):
    """A primary key given by the application (no AutoField)."""

    key = models.CharField(max_length=40, primary_key=True)
    note = models.TextField(blank=True)
