"""loket-admin: the support tool for outpost and Dinas IT staff."""
