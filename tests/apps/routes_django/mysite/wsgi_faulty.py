"""A second WSGI module selecting other settings, as a staging entry point would."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings_faulty")

application = get_wsgi_application()
