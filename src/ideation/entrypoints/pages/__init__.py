"""HTML pages: one blueprint per feature, templates in web/templates/<blueprint>/."""
