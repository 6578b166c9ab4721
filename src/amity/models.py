"""Import every domain's tables so that Base.metadata (and Alembic) sees them all."""

from amity.auth.models import ApiToken
from amity.partnerships.models import ImportBatch, Partnership
from amity.places.models import Country, Place, PlaceName

__all__ = ["ApiToken", "Country", "ImportBatch", "Partnership", "Place", "PlaceName"]
