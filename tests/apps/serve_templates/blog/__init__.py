"""An installed Django app with templates of its own (found through APP_DIRS)."""
