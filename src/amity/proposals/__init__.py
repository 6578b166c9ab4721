"""The review workflow for new pairings: a city drafts, the province and the nation decide."""
