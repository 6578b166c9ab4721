"""API tokens for writes (interim, until accounts and roles arrive)."""
