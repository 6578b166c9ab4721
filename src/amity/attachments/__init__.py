"""Photos and PDFs attached to cases, events and exchanges."""
