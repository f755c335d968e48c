"""Settings that select the faulty URLconf (for flaskit routes --check)."""

from mysite.settings import *  # noqa: F403

ROOT_URLCONF = "mysite.urls_faulty"
