"""Exchanges between places, and the health of the relationships they keep alive."""
