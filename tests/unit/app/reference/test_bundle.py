"""Signed reference bundles: what the Dinas signs is what the outpost accepts, nothing else."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from app.reference import bundle, signing
from app.reference.bundle import BundleError, open_signed
from tests.helpers.reference import catalogue_version


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return bundle.data_files(catalogue_version(tmp_path_factory.mktemp("v") / "v", "2027.01-1"))


def make(files: dict[str, bytes], key: bytes, sequence: int = 2) -> bytes:
    return bundle.build(
        files, sequence=sequence, catalog_version="2027.01-1", forms=["F-1.02@PMDN2027"], private_key=key
    )


def rezip(data: bytes, change: dict[str, bytes | None]) -> bytes:
    """The bundle's entries with some replaced (bytes), removed (None) or added."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    for name, content in change.items():
        if content is None:
            entries.pop(name, None)
        else:
            entries[name] = content
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_a_signed_bundle_opens_with_the_dinas_key(files: dict[str, bytes]) -> None:
    key = signing.new_private_key()
    data = make(files, key)
    opened = open_signed(data, signing.public_key_of(key))
    assert opened.manifest.sequence == 2
    assert opened.manifest.catalog_version == "2027.01-1"
    assert opened.manifest.key_id == signing.key_id(signing.public_key_of(key))
    assert opened.files == files


def test_another_key_is_refused(files: dict[str, bytes]) -> None:
    data = make(files, signing.new_private_key())
    with pytest.raises(BundleError, match="Tanda tangan"):
        open_signed(data, signing.public_key_of(signing.new_private_key()))


def test_a_changed_file_is_refused(files: dict[str, bytes]) -> None:
    key = signing.new_private_key()
    name = "catalog/catalog.yaml"
    tampered = rezip(make(files, key), {name: files[name].replace(b"2027.01-1", b"2027.01-9")})
    with pytest.raises(BundleError, match="rusak atau diubah"):
        open_signed(tampered, signing.public_key_of(key))


@pytest.mark.parametrize(
    "change",
    [
        {"catalog/services/99-extra.yaml": b"number: 99"},  # a file the manifest does not name
        {"forms/F-1.01@PMDN109-2019.yaml": None},  # a file the manifest names is missing
        {bundle.SIGNATURE: None},  # unsigned
        {bundle.MANIFEST: b'{"format": 1}'},  # a manifest the signature does not cover
    ],
)
def test_a_bundle_that_differs_from_its_signed_manifest_is_refused(
    files: dict[str, bytes], change: dict[str, bytes | None]
) -> None:
    key = signing.new_private_key()
    with pytest.raises(BundleError):
        open_signed(rezip(make(files, key), change), signing.public_key_of(key))


@pytest.mark.parametrize("name", ["../evil.yaml", "/etc/evil.yaml", "catalog/run.py", "other/x.yaml"])
def test_a_bundle_may_hold_only_catalogue_and_form_files(files: dict[str, bytes], name: str) -> None:
    key = signing.new_private_key()
    with pytest.raises(BundleError, match="tidak diharapkan"):
        open_signed(rezip(make(files, key), {name: b"x"}), signing.public_key_of(key))


def test_a_cut_or_damaged_download_is_refused(files: dict[str, bytes], tmp_path: Path) -> None:
    key = signing.new_private_key()
    data = make(files, key)
    for broken in (b"not a zip", data[: len(data) // 2]):
        with pytest.raises(BundleError):
            open_signed(broken, signing.public_key_of(key))
