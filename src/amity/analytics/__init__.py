"""Statistics, layout balance, network analysis and exports of the registry."""
