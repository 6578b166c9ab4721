"""The core below every domain: settings, database, errors, languages, progress, spreadsheets,
bounds of input, and the shared machinery (facets, cache). It never imports a domain."""
