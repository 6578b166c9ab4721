"""The site's shared look: base templates, macros and static assets (vendored, no CDN). Each
domain keeps its own pages (`<domain>/pages.py`) and templates (`<domain>/templates/<domain>/`)."""
