"""The web server's layer: the app, the session dependency, error handlers, security headers,
limits and the page renderer. Domains use it; it never imports a domain (it finds their
routers by name, `amity.core.domains.rooms`)."""
