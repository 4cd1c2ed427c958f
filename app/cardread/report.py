"""A card reading as plain JSON-ready data (the `read-kk` / `read-ktp` commands, support, tests)."""

from __future__ import annotations

from dataclasses import asdict

from app.cardread.model import CardReading, ReadValue


def value_dict(read: ReadValue) -> dict[str, object]:
    """One value: text, value, confidence, whether the officer must look, problems and its box."""
    return {
        "text": read.text,
        "value": read.value,
        "confidence": read.confidence,
        "doubtful": read.doubtful,
        "problems": list(read.problems),
        "box": asdict(read.box) if read.box is not None else None,
    }


def reading_dict(reading: CardReading) -> dict[str, object]:
    """The whole reading: kind, page size, seconds, page problems, header fields and member rows."""
    return {
        "kind": reading.kind,
        "page_width": reading.page_width,
        "page_height": reading.page_height,
        "seconds": reading.seconds,
        "usable": reading.usable,
        "problems": list(reading.problems),
        "fields": {key: value_dict(read) for key, read in reading.header.items()},
        "rows": [
            {"values": {key: value_dict(read) for key, read in row.values.items()}, "problems": list(row.problems)}
            for row in reading.rows
        ],
    }
