#!/usr/bin/env bash
# Install the Debian/Ubuntu packages Loket's build, tests and app need.
# As root: installs what is missing. Otherwise: prints the exact sudo line and fails.
set -euo pipefail

packages=(
  python3 python3-venv python3-dev gcc make git
  # PyInstaller (make dist) needs objdump
  binutils
  # Qt (PySide6) offscreen and on a real X display
  libgl1 libegl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xkb1 xvfb fonts-dejavu-core
  # the synthetic Kartu Keluarga and KTP-el pages of the card reader's tests and bench (tests/helpers/cards)
  fonts-liberation
  # real key presses into a window on Xvfb (the keyboard-only form filling test)
  xdotool
  # scanners (SANE and its 'test' device), OCR for the legibility benchmark
  sane-utils libsane1 libsane-dev tesseract-ocr tesseract-ocr-ind
  # the back office in a real browser (driven by Playwright; its own browser download is not used)
  chromium
  # a syntax check of the back office's scripts (node --check)
  nodejs
  # PostgreSQL for the server's integration tests (started by the test run itself)
  postgresql
  # FUSE for the power-loss test (tests/helpers/powerfs.py: a filesystem that loses unflushed data)
  fuse3
  # the load balancer in front of several server replicas (replica tests and benchmark, started by them)
  haproxy
)

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Loket needs these system packages:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  echo "Run that line, then run make again." >&2
  exit 1
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
