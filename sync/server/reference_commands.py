"""`loket-server reference keygen|publish|list`: the Dinas publishes catalogue and form-schema versions.

The parsers and command functions live here; `sync/server/cli.py` only wires them in.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

Command = Callable[[argparse.Namespace], tuple[object, str]]


def _storage(args: argparse.Namespace) -> Path:
    from sync.server.cli import default_storage  # noqa: PLC0415

    return Path(args.storage or default_storage())


def _key_file(args: argparse.Namespace) -> Path:
    from sync.server.publishing import key_file_for  # noqa: PLC0415

    return Path(args.key_file) if args.key_file else key_file_for(_storage(args))


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    """The `reference` sub-commands."""
    key_help = "the reference key file (default: $LOKET_REFERENCE_KEY_FILE, else loket-reference.key beside --storage)"
    storage_help = "the document folder (default: $LOKET_SERVER_STORAGE, else $LOKET_SERVER_HOME/documents)"
    reference = sub.add_parser("reference", help="catalogue and form versions for the outposts").add_subparsers(
        dest="action", metavar="ACTION"
    )
    keygen = reference.add_parser("keygen", parents=[common], help="make the Dinas reference key (once)")
    keygen.add_argument("--key-file", default=None, metavar="FILE", help=key_help)
    keygen.add_argument("--storage", default=None, help=storage_help)
    publish = reference.add_parser(
        "publish", parents=[common], help="sign DIR (catalog/ and forms/) as the next version for the outposts"
    )
    publish.add_argument("folder", metavar="DIR")
    publish.add_argument("--key-file", default=None, metavar="FILE", help=key_help)
    publish.add_argument("--storage", default=None, help=storage_help)
    publish.add_argument("--reference", default=None, help="the server's own folder (`serve --reference`)")
    publish.add_argument("--by", default="", metavar="NAME", help="who publishes (journaled)")
    reference.add_parser("list", parents=[common], help="every published version")


def cmd_keygen(args: argparse.Namespace) -> tuple[object, str]:
    """Make the reference key file; print its public half."""
    from app.reference import signing  # noqa: PLC0415
    from sync.server.publishing import keygen  # noqa: PLC0415

    path = _key_file(args)
    public = keygen(path)
    kid = signing.key_id(signing.decode_key(public))
    text = (
        f"Kunci referensi dibuat: {path} (id {kid}).\n"
        "Simpan salinannya terpisah dari basis data. Pos pelayanan menerima kunci publiknya saat didaftarkan."
    )
    return {"key_file": str(path), "public_key": public, "key_id": kid}, text


def cmd_publish(args: argparse.Namespace) -> tuple[object, str]:
    """Publish a folder as the next catalogue version."""
    from sync.server.cli import _bind  # noqa: PLC0415
    from sync.server.publishing import load_private_key, publish  # noqa: PLC0415
    from sync.server.reference import Reference  # noqa: PLC0415

    _bind(args)
    own = args.reference or os.environ.get("LOKET_SERVER_REFERENCE")
    base = Reference.load(Path(own) if own else None)
    done = publish(
        Path(args.folder), load_private_key(_key_file(args)), base, args.by or os.environ.get("USER", "sistem")
    )
    if not done.new:
        return done.to_dict(), f"Versi katalog {done.catalog_version} sudah diterbitkan (urutan {done.sequence})."
    return done.to_dict(), (
        f"Katalog versi {done.catalog_version} diterbitkan (urutan {done.sequence}, {done.services} layanan, "
        f"{len(done.forms)} versi formulir, ditandatangani kunci {done.key_id}). Pos pelayanan menerimanya "
        "pada sinkronisasi berikutnya."
    )


def cmd_list(args: argparse.Namespace) -> tuple[object, str]:
    """Every published version."""
    from sync.server.cli import _bind  # noqa: PLC0415
    from sync.server.publishing import published_versions  # noqa: PLC0415

    _bind(args)
    rows = published_versions()
    text = "\n".join(
        f"{r.sequence:>4} {r.catalog_version:<16} {r.published_at} kunci {r.key_id} {r.bundle_size} bita"
        f"{' oleh ' + r.published_by if r.published_by else ''}"
        for r in rows
    )
    return [r.to_dict() for r in rows], text or "Belum ada katalog yang diterbitkan."


COMMANDS: dict[str, Command] = {
    "reference-keygen": cmd_keygen,
    "reference-publish": cmd_publish,
    "reference-list": cmd_list,
}
