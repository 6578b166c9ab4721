"""The case library: cases of city diplomacy, searchable in Chinese and English."""
