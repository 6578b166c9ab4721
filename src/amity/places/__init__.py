"""Countries, provinces and cities; the gazetteer and name resolution."""
