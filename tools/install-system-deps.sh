#!/usr/bin/env bash
# Debian packages the kiosk and its tests need: Qt's X11/offscreen libraries,
# Xvfb for real-window screenshots, fonts (without them Qt draws empty boxes),
# PulseAudio's client library for QtMultimedia/TextToSpeech, speech-dispatcher with espeak-ng voices, CUPS with the
# cups-pdf printer for real print tests, poppler for looking at PDFs, and PostgreSQL for the shared-database tests.
# Installs only what is missing; as a non-root user it lists what to install.
set -euo pipefail
PACKAGES=(
  xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xkb1
  libxkbcommon-x11-0 libxcb-cursor0 libxcb-shape0 libxcb-randr0 libegl1 libgl1
  libfontconfig1 libdbus-1-3 libpulse0 fonts-dejavu-core
  cups cups-bsd cups-client printer-driver-cups-pdf poppler-utils
  # read aloud (Qt speechd engine) and doctor's voice check (spd-say -L)
  speech-dispatcher speech-dispatcher-espeak-ng espeak-ng libspeechd2
  # packaging/linux checks: systemd-analyze verify on the unit (with cage, which it runs), desktop-file-validate;
  # the bundle check runs the kiosk inside cage (needs Xwayland) on Qt's Wayland plug-in (needs the client libraries)
  systemd cage xwayland desktop-file-utils libwayland-client0 libwayland-cursor0 libwayland-egl1
  # read aloud: Qt's only Linux text-to-speech plug-in (speechd) needs libspeechd2; the kiosk's first request starts
  # speech-dispatcher for its user on its own (the client library's autospawn), which speaks through espeak-ng
  speech-dispatcher speech-dispatcher-espeak-ng espeak-ng libspeechd2
  # several stations: the tests run a real PostgreSQL 15 server (tests/postgres_server.py: initdb + pg_ctl)
  postgresql
  # make package: strips the Python runtime library in the bundle (23 MB -> 6 MB)
  binutils
)
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Missing system packages (install them as root): ${missing[*]}" >&2
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
