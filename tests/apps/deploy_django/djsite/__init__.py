"""A Django project deploy-config's tests serve through nginx and gunicorn."""
