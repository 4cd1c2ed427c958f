"""The OCR engine: PP-OCRv4's text-line recogniser (shipped in the rapidocr-onnxruntime wheel) on ONNX
Runtime, one thread, reading crops of single text lines.

Only the recogniser runs: the card's printed layout (table lines, label rows) says where the text is, which
is faster than the text detector on a whole page. The recogniser reads Chinese and Latin script; here
its output is limited to the characters a field can hold (digits only for a NIK), and spaces come from
the gaps in the ink, which the model itself often drops between Latin words."""

from __future__ import annotations

import importlib.util
import itertools
import math
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import cv2
import numpy as np
import numpy.typing as npt
import onnxruntime as ort  # type: ignore[import-untyped]

from app.resources import resource_path

Gray = npt.NDArray[np.uint8]

MODEL_HEIGHT: Final = 48  # the recogniser's training height
RETRY_BELOW: Final = 0.85
SPACE_LIKELY: Final = 0.08  # the recogniser's space probability between two letters that makes a space
HEIGHT: Final = 32  # the input height: the model is trained at 48; 32 reads card print as well, 2.4 times faster
STRIDE: Final = 8  # input pixels per output step
BATCH: Final = 8
MODEL_FILE: Final = "ch_PP-OCRv4_rec_infer.onnx"
BUNDLED_MODEL: Final = ("ocr", MODEL_FILE)  # below resources/ in the frozen bundle

DIGITS: Final = "0123456789"
UPPER: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER: Final = "abcdefghijklmnopqrstuvwxyz"
PUNCT: Final = ".,-/:()'"
TEXT: Final = UPPER + DIGITS + PUNCT
ANY: Final = UPPER + LOWER + DIGITS + PUNCT


class EngineMissingError(RuntimeError):
    """The OCR model is not installed."""


def model_path() -> Path:
    """The recogniser model: in the frozen bundle under resources/ocr (installers/bundle.ocr_model_datas),
    else inside the installed rapidocr-onnxruntime package (not imported: only its file)."""
    shipped = resource_path(*BUNDLED_MODEL)
    if shipped.is_file():
        return shipped
    spec = importlib.util.find_spec("rapidocr_onnxruntime")
    if spec is None or not spec.submodule_search_locations:
        raise EngineMissingError(
            "rapidocr-onnxruntime is not installed: .venv/bin/pip install --no-deps 'rapidocr-onnxruntime==1.4.4'"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "models" / MODEL_FILE
    if not path.is_file():
        raise EngineMissingError(f"the OCR model {path} is missing; reinstall rapidocr-onnxruntime")
    return path


@dataclass(frozen=True)
class Line:
    """What the recogniser read in one crop: text (spaces from the ink's gaps) and a 0-1 confidence."""

    text: str
    confidence: float


class Recognizer:
    """Reads text-line crops (gray, dark text on light paper)."""

    def __init__(self, path: Path | None = None, height: int = HEIGHT) -> None:
        self.height = height
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(path or model_path()), options, providers=["CPUExecutionProvider"])
        self._input = self._session.get_inputs()[0].name
        characters = self._session.get_modelmeta().custom_metadata_map["character"].splitlines()
        # Output classes: 0 is CTC's blank, then the model's characters, then a space.
        self._classes = ["", *characters, " "]
        self._index = {ch: i for i, ch in enumerate(self._classes) if i > 0}
        self._lock = threading.Lock()

    def columns(self, charset: str) -> npt.NDArray[np.int64]:
        """The output classes of `charset`, blank first."""
        return np.array([0, *(self._index[ch] for ch in charset if ch in self._index)], dtype=np.int64)

    def read(self, crops: list[Gray], charsets: list[str]) -> list[Line]:
        """Read each crop, limited to its charset; a crop too small to hold text reads as "".

        Crops are read at `height` pixels; those read doubtfully (empty, or below RETRY_BELOW) are read
        again at the model's own 48 pixels and the surer reading is kept."""
        results = self._read(crops, charsets, self.height)
        if self.height == MODEL_HEIGHT:
            return results
        again = [i for i, line in enumerate(results) if not line.text or line.confidence < RETRY_BELOW]
        if again:
            second = self._read([crops[i] for i in again], [charsets[i] for i in again], MODEL_HEIGHT)
            for i, line in zip(again, second, strict=True):
                if line.text and (not results[i].text or line.confidence > results[i].confidence):
                    results[i] = line
        return results

    def read_closely(self, crops: list[Gray], charsets: list[str]) -> list[Line]:
        """Read again, at the model's own height and stretched across: narrow letters repeated ("III") run
        together at the usual size. Slower; for the few values whose first reading fitted nothing exactly."""
        return self._read(crops, charsets, MODEL_HEIGHT, stretch=1.6)

    def _read(self, crops: list[Gray], charsets: list[str], height: int, stretch: float = 1.0) -> list[Line]:
        results: list[Line] = [Line("", 0.0)] * len(crops)
        prepared: list[tuple[int, npt.NDArray[np.float32], Gray]] = []
        for i, crop in enumerate(crops):
            if crop.shape[0] < 4 or crop.shape[1] < 4:
                continue
            width = max(height // 2, math.ceil(crop.shape[1] * height * stretch / crop.shape[0]))
            resized = cv2.resize(
                crop, (width, height), interpolation=cv2.INTER_AREA if crop.shape[0] > height else cv2.INTER_CUBIC
            )
            prepared.append((i, (resized.astype(np.float32) / 127.5 - 1.0), crop))
        prepared.sort(key=lambda item: item[1].shape[1])
        for start in range(0, len(prepared), BATCH):
            chunk = prepared[start : start + BATCH]
            width = max(item[1].shape[1] for item in chunk)
            batch = np.zeros((len(chunk), 3, height, width), dtype=np.float32)
            for j, (_, norm, _) in enumerate(chunk):
                batch[j, :, :, : norm.shape[1]] = norm[None, :, :]
            with self._lock:
                probabilities = self._session.run(None, {self._input: batch})[0]
            for j, (i, norm, crop) in enumerate(chunk):
                steps = math.ceil(norm.shape[1] / STRIDE)
                results[i] = self._decode(probabilities[j, :steps], charsets[i], crop, norm.shape[1])
        return results

    def _decode(self, probabilities: npt.NDArray[np.float32], charset: str, crop: Gray, width: int) -> Line:
        columns = self.columns(charset)
        limited = probabilities[:, columns]
        best = limited.argmax(axis=1)
        runs: list[tuple[str, float, int, int]] = []  # character, probability, first and last output step
        previous = 0
        for step, index in enumerate(best):
            if index != 0 and index == previous and runs:
                ch, p, first, _ = runs[-1]
                runs[-1] = (ch, max(p, float(limited[step, index])), first, step)
            elif index != 0:
                runs.append((self._classes[columns[index]], float(limited[step, index]), step, step))
            previous = index
        letters = [run for run in runs if run[0] != " "]
        if not letters:
            return Line("", 0.0)
        spaces: set[int] = set()
        if " " in charset:
            # A space where the recogniser sees one between two letters, even when it is not its first
            # choice (it often drops spaces between Latin words) ...
            space = probabilities[:, len(self._classes) - 1]
            for k, (a, b) in enumerate(itertools.pairwise(letters)):
                between = space[a[3] + 1 : b[2]]
                if between.size and float(between.max()) >= SPACE_LIKELY:
                    spaces.add(k)
            # ... and where the ink has a clear gap, at the nearest place between two letters.
            scale = crop.shape[1] / width
            middles = [(a[3] + b[2] + 1) / 2 * STRIDE * scale for a, b in itertools.pairwise(letters)]
            for gap in word_gaps(crop, len(letters)):
                if middles and middles[0] - STRIDE * scale < gap < middles[-1] + STRIDE * scale:
                    spaces.add(min(range(len(middles)), key=lambda k: abs(middles[k] - gap)))
        text = "".join(ch + (" " if k in spaces else "") for k, (ch, _, _, _) in enumerate(letters))
        sure = [p for _, p, _, _ in letters]
        confidence = float(np.prod(sure) ** (1.0 / len(sure)))
        return Line(text, min(confidence, min(sure) + 0.25))


def ink_mask(crop: Gray) -> npt.NDArray[np.bool_]:
    """Dark pixels of a crop (Otsu's threshold, but never on a crop that is all paper)."""
    low, high = int(crop.min()), int(crop.max())
    if high - low < 40:
        return np.zeros(crop.shape, dtype=bool)
    threshold, _ = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return np.asarray(crop <= threshold)  # <=: on a bilevel page Otsu answers the black level itself


def word_gaps(crop: Gray, letters: int = 0) -> list[float]:
    """The middles of the blank columns between words in a crop showing about `letters` characters.

    Only clear gaps count: wider than 0.4 of the text's height and 2.5 times the line's usual gap between
    letters (the recogniser's own space probability finds the narrower ones)."""
    mask = ink_mask(crop)
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return []
    height = rows[-1] - rows[0] + 1
    columns = np.flatnonzero(mask.any(axis=0))
    if columns.size < 2:
        return []
    blanks = np.diff(columns) - 1
    # The usual gap between letters: touching letters (no blank column, common when blurred) count as 0.
    opened = np.sort(blanks[blanks > 0])
    spread = np.concatenate([np.zeros(max(0, letters - 1 - opened.size)), opened])
    letter = float(np.median(spread)) if spread.size else 0.0
    limit = max(2.0, 0.4 * height, 2.5 * letter + 1.0)
    return [(columns[k] + columns[k + 1]) / 2.0 for k in np.flatnonzero(blanks > limit)]


_SHARED: dict[str, Recognizer] = {}
_SHARED_LOCK = threading.Lock()


def shared() -> Recognizer:
    """The process's recogniser, loaded on first use (about 0.2 s)."""
    with _SHARED_LOCK:
        if "default" not in _SHARED:
            _SHARED["default"] = Recognizer()
        return _SHARED["default"]
