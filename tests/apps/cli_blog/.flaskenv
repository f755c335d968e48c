FLASK_APP=microblog.py
BLOG_GREETING=from-flaskenv
