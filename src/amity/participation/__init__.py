"""The public's voice: ideas and feedback, votes, moderation, and what people ask for."""
