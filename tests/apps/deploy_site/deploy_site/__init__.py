"""deploy_site: the app lives in deploy_site/app.py, next to static/.

That layout is what an nginx alias without its trailing slash would expose:
``/static../app.py`` would map to ``static/../app.py``.
"""
