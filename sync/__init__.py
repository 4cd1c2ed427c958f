"""Wire protocol, outpost sync client and Dinas intake server."""
