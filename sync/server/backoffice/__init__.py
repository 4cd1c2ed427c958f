"""The Dinas back office: staff web pages served by loket-server itself (templates and static files beside)."""
