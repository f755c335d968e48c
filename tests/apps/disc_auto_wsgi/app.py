# wsgi.py is found first; this module must not be imported.
raise RuntimeError("app.py must not be imported when wsgi.py exists")
