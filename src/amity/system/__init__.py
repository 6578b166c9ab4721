"""Creating the database, loading the shipped data, and serving the app."""
