#!/usr/bin/env python
"""A project written for django-cassandra-engine 1.x, run unchanged on this package."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "compatsite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
