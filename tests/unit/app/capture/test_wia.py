"""WIA scanners through a fake COM layer: devices, flatbed, feeder, and every fault the driver reports."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from app.capture.base import Settings
from app.capture.errors import (
    CoverOpenError,
    DeviceBusyError,
    DeviceNotFoundError,
    DriverMissingError,
    FeederEmptyError,
    NoFeederError,
    PaperJamError,
    ScanFailedError,
)
from app.capture.wia import FORMAT_PNG, WiaScanners, error_for
from tests.helpers.fakes import FakeCom, FakeWiaScanner, gray_page


def _scanner(pages: int = 3, **kwargs: object) -> FakeWiaScanner:
    return FakeWiaScanner(pages=[gray_page(seed=n) for n in range(pages)], **kwargs)  # type: ignore[arg-type]


def test_lists_scanners_only_with_capabilities() -> None:
    com = FakeCom([_scanner()], camera=True)
    (device,) = WiaScanners(com).devices()
    assert device.name == "Pemindai WIA uji"
    assert device.kind == "scanner"
    assert device.capabilities.feeder and device.capabilities.flatbed
    assert device.capabilities.resolutions == (100, 150, 200, 300, 400, 600)
    assert com.initialised == com.uninitialised == 1


def test_flatbed_scans_one_page_at_the_chosen_settings() -> None:
    scanner = _scanner()
    com = FakeCom([scanner])
    wia = WiaScanners(com)
    pages = list(wia.capture(scanner.device_id, Settings(resolution=200, mode="color")))
    assert len(pages) == 1
    assert pages[0].dpi == 200.0 and pages[0].source == "scanner"
    assert np.array_equal(pages[0].image, scanner.pages[0])
    device = com.infos[0].connected[-1]
    assert device.property(3088).Value == 2  # flatbed
    item: Any = device.Items.Item(1)
    values = {item.Properties.Item(i).PropertyID: item.Properties.Item(i).Value for i in range(1, 4)}
    assert values == {6146: 1, 6147: 200, 6148: 200}
    assert scanner.formats == [FORMAT_PNG]
    assert com.initialised == com.uninitialised == 1


def test_feeder_scans_until_empty() -> None:
    scanner = _scanner(pages=4)
    pages = list(WiaScanners(FakeCom([scanner])).capture(scanner.device_id, Settings(feeder=True)))
    assert [page.number for page in pages] == [1, 2, 3, 4]


def test_empty_feeder_is_told() -> None:
    scanner = _scanner(pages=0)
    with pytest.raises(FeederEmptyError):
        list(WiaScanners(FakeCom([scanner])).capture(scanner.device_id, Settings(feeder=True)))


def test_a_jam_keeps_the_pages_scanned_before_it() -> None:
    scanner = _scanner(pages=5, fail_with=0x80210002, fail_at=3)
    kept = []
    with pytest.raises(PaperJamError) as caught:
        for page in WiaScanners(FakeCom([scanner])).capture(scanner.device_id, Settings(feeder=True)):
            kept.append(page)
    assert len(kept) == 2
    assert "0x80210002" in caught.value.detail


def test_no_feeder() -> None:
    scanner = _scanner(feeder=False)
    with pytest.raises(NoFeederError):
        list(WiaScanners(FakeCom([scanner])).capture(scanner.device_id, Settings(feeder=True)))


def test_unknown_device_and_missing_wia() -> None:
    with pytest.raises(DeviceNotFoundError):
        list(WiaScanners(FakeCom([_scanner()])).capture("nope", Settings()))
    com = FakeCom([_scanner()], registered=False)
    with pytest.raises(DriverMissingError):
        WiaScanners(com).devices()
    assert com.initialised == com.uninitialised == 1


@pytest.mark.parametrize(
    ("hresult", "error"),
    [
        (0x80210003, FeederEmptyError),
        (0x80210002, PaperJamError),
        (0x80210004, PaperJamError),
        (0x80210006, DeviceBusyError),
        (0x8021000D, DeviceBusyError),
        (0x80210005, DeviceNotFoundError),
        (0x80210015, DeviceNotFoundError),
        (0x80210016, CoverOpenError),
        (0x80004005, ScanFailedError),
    ],
)
def test_hresults_become_known_errors(hresult: int, error: type) -> None:
    assert isinstance(error_for(hresult, "x"), error)
    scanner = _scanner(fail_with=hresult)
    with pytest.raises(error):
        list(WiaScanners(FakeCom([scanner])).capture(scanner.device_id, Settings()))


def test_comtypes_is_only_needed_on_use() -> None:
    import sys

    if sys.platform == "win32":
        pytest.skip("comtypes is present on Windows")
    with pytest.raises(DriverMissingError):
        WiaScanners().devices()
