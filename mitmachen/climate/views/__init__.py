"""The climate module's views, by page family; ``climate/urls.py`` names them."""
