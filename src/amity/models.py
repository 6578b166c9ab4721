"""Import every domain's tables so that Base.metadata (and Alembic) sees them all."""

from amity.auth.models import ApiToken
from amity.cases import models as cases  # noqa: F401 (its tables join the metadata)
from amity.events import models as events  # noqa: F401 (its tables join the metadata)
from amity.exchanges import models as exchanges  # noqa: F401 (its tables join the metadata)
from amity.indices import models as indices  # noqa: F401 (its tables join the metadata)
from amity.matching import models as matching  # noqa: F401 (its tables join the metadata)
from amity.participation import models as participation  # noqa: F401 (tables join the metadata)
from amity.partnerships.models import ImportBatch, Partnership, StewardRecord
from amity.places.models import Country, Place, PlaceName
from amity.proposals import models as proposals  # noqa: F401 (its tables join the metadata)
from amity.sync import models as sync  # noqa: F401 (its tables join the metadata)

__all__ = [
    "ApiToken", "Country", "ImportBatch", "Partnership", "Place", "PlaceName", "StewardRecord",
]  # fmt: skip
