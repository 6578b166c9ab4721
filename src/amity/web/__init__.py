"""The web app: API routes, pages, templates and vendored static assets."""
