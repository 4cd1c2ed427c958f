"""What every peewee table of Loket shares, the outpost's store and the Dinas server's alike.

Each program binds its own database late through its own `peewee.DatabaseProxy` (a test process holds
both at once), so the proxy stays with each program's tables; the shared table options live here,
where the server's tables may import them (sync may import app, never the other way).
"""

from __future__ import annotations

import peewee


class LateBoundModel(peewee.Model):
    """A table whose database a subclass names as a proxy, bound at run time; tables named in snake case."""

    class Meta:
        legacy_table_names = False
