"""Partner matching: what the API, the CLI, the pages and other domains call."""

from __future__ import annotations

# What other domains use of this domain's modules is imported from here
# (docs/architecture.md); at the end, as its modules may import this one.
from amity.matching.settings import matching_settings as matching_settings
