"""Partner matchmaking: recommendations that explain themselves, their evaluation, the layout
optimiser and the partner-seeking board."""
