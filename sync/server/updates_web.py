"""The server's side of updates over HTTP: the signed folders as static files, and the rollout policy.

    GET /updates/<platform>/metadata/<role>.json   TUF metadata, as copied from the offline machine (signed)
    GET /updates/<platform>/targets/<file>         archives and patches (signed; HTTP Range for resuming)

<platform> is `linux` or `windows`: each platform's bundle is its own repository, DIR/<platform>/.
    GET /v1/updates/policy              the rollout policy for the calling device (device token); the
                                        laptop's version (Loket-Version header) and staged version
                                        (?staged=) are recorded for `loket-server updates status`

Mounted only with `serve --updates DIR`; without it the policy is "nothing rolled out". (No `from __future__
import annotations` here: FastAPI must see the dependency in the route's annotations as an object.)
"""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query
from fastapi.staticfiles import StaticFiles

from sync.protocol import APP_VERSION_HEADER
from sync.server import updates
from sync.server.models import Device


def install(app: FastAPI, folder: Path | None, current_device: Callable[..., Device]) -> None:
    """Add the update routes to the API."""
    if folder is not None:
        for platform in updates.PLATFORMS:
            for name in ("metadata", "targets"):
                (folder / platform / name).mkdir(parents=True, exist_ok=True)
                app.mount(
                    f"/updates/{platform}/{name}",
                    StaticFiles(directory=folder / platform / name),
                    name=f"updates-{platform}-{name}",
                )

    @app.get("/v1/updates/policy", tags=["perangkat"])
    def update_policy(
        device: Annotated[Device, Depends(current_device)],
        running: Annotated[str | None, Header(alias=APP_VERSION_HEADER, max_length=40)] = None,
        staged: Annotated[str, Query(max_length=40)] = "",
    ) -> dict[str, Any]:
        """Which published versions the outposts may take now (the device's version is recorded)."""
        if folder is None:
            return {"policy": {"paused": True, "releases": {}}}
        updates.record_report(folder, device.device_id, device.outpost.code, running or "", staged)
        return {"policy": updates.load_policy(folder).to_json()}
