"""Route tables: records, framework adapters, listing and rendering."""

from flaskit.routes.model import Route

__all__ = ["Route"]
