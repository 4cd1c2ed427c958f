"""Indonesian region codes (Kode Wilayah Kemendagri): look-up, tree, retired codes, postal codes and search."""

from app.regions.codes import DESA_KELURAHAN, KABUPATEN_KOTA, LEVELS, Level, dotted_code, level_of
from app.regions.index import RegionIndex, default_index
from app.regions.model import HistoricalRegion, Region

__all__ = [
    "DESA_KELURAHAN",
    "KABUPATEN_KOTA",
    "LEVELS",
    "HistoricalRegion",
    "Level",
    "Region",
    "RegionIndex",
    "default_index",
    "dotted_code",
    "level_of",
]
