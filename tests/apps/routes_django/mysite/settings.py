"""Settings of the sample Django project (no database: only routing is exercised)."""

SECRET_KEY = "routes-sample-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "mysite.urls"
INSTALLED_APPS = ["blog"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
USE_TZ = True
