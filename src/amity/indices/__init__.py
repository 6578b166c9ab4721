"""The city-diplomacy index: composite indicators built from frameworks kept as data."""
