"""WSGI entry point (served by waitress in ``tirage demo`` and ``tirage serve``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tirage.settings")
application = get_wsgi_application()
