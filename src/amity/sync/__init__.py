"""Fresh data from outside: Wikidata's twinning statements (dates, names, new pairs)."""
