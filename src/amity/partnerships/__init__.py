"""Friendship-city relationships: the registry, import and export."""
