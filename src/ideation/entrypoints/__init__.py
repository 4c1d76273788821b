"""Entry points: the Flask app factory, HTML pages, the JSON API and the command line."""
