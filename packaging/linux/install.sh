#!/usr/bin/env bash
# Install the kiosk bundle on a Debian/Ubuntu machine, as a locked-down kiosk (default) or as a desktop app.
#
#   sudo packaging/linux/install.sh [--desktop] [BUNDLE]
#
# BUNDLE is the folder `make package` builds (default: dist/naltrexone-kiosk next to this checkout).
#
# Kiosk (default): installs cage and the libraries the bundle needs from the system, creates the unprivileged `kiosk` user, copies the bundle to
# /opt/naltrexone-kiosk, installs naltrexone-kiosk.service (cage on tty1, restarted whenever it
# exits) with its PAM file, turns off spare text consoles and SysRq, enables the service and makes the
# machine boot to it, and sets the local CUPS to keep no copy of printed jobs. It does not start it:
# starting takes over tty1, so reboot (or `systemctl start naltrexone-kiosk`) when ready.
# --desktop: copies the bundle and adds a menu entry and `naltrexone-kiosk` on the PATH; no user, no service.
#
# Safe to run again: an update replaces /opt/naltrexone-kiosk whole and keeps the data in
# /var/lib/naltrexone-kiosk. DESTDIR=/some/dir installs the files under that folder instead of / and
# leaves users and running services alone (used by the tests).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODE=kiosk
BUNDLE="$HERE/../../dist/naltrexone-kiosk"
for arg in "$@"; do
  case "$arg" in
    --desktop) MODE=desktop ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | grep '^#' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "install.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
    *) BUNDLE="$arg" ;;
  esac
done

DESTDIR="${DESTDIR:-}"
PREFIX="$DESTDIR/opt/naltrexone-kiosk"
KIOSK_USER=kiosk
STATE_DIR=/var/lib/naltrexone-kiosk

if [ -z "$DESTDIR" ] && [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: this creates a system user and a system service, so it needs root." >&2
  echo "Nothing was changed. Run it again with sudo:  sudo $0 $*" >&2
  exit 1
fi
if [ ! -x "$BUNDLE/naltrexone-kiosk" ]; then
  echo "install.sh: no kiosk bundle at $BUNDLE (expected $BUNDLE/naltrexone-kiosk)." >&2
  echo "Build it first with 'make package', or give the bundle folder as the last argument." >&2
  exit 1
fi

say() { echo "install.sh: $*"; }

install_bundle() {
  # Copy beside the old one, then swap: a failed copy never leaves a half-installed kiosk.
  local staging="$PREFIX.new"
  rm -rf "$staging"
  mkdir -p "$(dirname "$PREFIX")"
  cp -a "$BUNDLE" "$staging"
  chmod -R u+rwX,go+rX,go-w "$staging"
  if [ -z "$DESTDIR" ]; then chown -R root:root "$staging"; fi
  if [ -d "$PREFIX" ]; then
    rm -rf "$PREFIX.old"
    mv "$PREFIX" "$PREFIX.old"
  fi
  mv "$staging" "$PREFIX"
  rm -rf "$PREFIX.old"
  say "bundle installed in ${PREFIX}"
}

install_desktop_entry() {
  install -D -m 0644 "$HERE/naltrexone-kiosk.desktop" "$DESTDIR/usr/share/applications/naltrexone-kiosk.desktop"
  install -D -m 0644 "$PREFIX/_internal/resources/images/tablet.svg" \
    "$DESTDIR/usr/share/icons/hicolor/scalable/apps/naltrexone-kiosk.svg"
  mkdir -p "$DESTDIR/usr/local/bin"
  ln -sfn /opt/naltrexone-kiosk/naltrexone-kiosk "$DESTDIR/usr/local/bin/naltrexone-kiosk"
  say "menu entry and /usr/local/bin/naltrexone-kiosk installed"
}

# What the bundle expects from the system: the graphics and Wayland client libraries (PyInstaller leaves them out
# on purpose, they must match the machine's drivers), `lp` for printing, and in kiosk mode cage with Xwayland
# (Debian's cage will not start without it).
RUNTIME_PACKAGES=(libegl1 libgl1 libxcb1 libwayland-client0 libwayland-cursor0 libwayland-egl1 cups-client)
KIOSK_PACKAGES=(cage xwayland)

ensure_packages() {
  local wanted=("$@") missing=() pkg
  if [ -n "$DESTDIR" ]; then say "DESTDIR set: not installing packages (${wanted[*]})"; return; fi
  if ! command -v apt-get >/dev/null; then
    say "not a Debian/Ubuntu system: make sure these (or their equivalents) are installed: ${wanted[*]}"
    return
  fi
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

ensure_user() {
  if [ -n "$DESTDIR" ]; then say "DESTDIR set: not creating the $KIOSK_USER user"; return; fi
  if id "$KIOSK_USER" >/dev/null 2>&1; then
    say "user $KIOSK_USER already exists"
  else
    useradd --system --user-group --home-dir "$STATE_DIR" --no-create-home --shell /usr/sbin/nologin \
      --comment "Naltrexone intake kiosk" "$KIOSK_USER"
    say "created user $KIOSK_USER (no password, no shell)"
  fi
}

lock_down() {
  # No spare text consoles to switch to, and no magic SysRq keys; cage already refuses VT switching.
  install -D -m 0644 /dev/stdin "$DESTDIR/etc/systemd/logind.conf.d/naltrexone-kiosk.conf" <<'CONF'
# naltrexone-kiosk: no login prompts on other virtual terminals of this kiosk
[Login]
NAutoVTs=0
ReserveVT=0
CONF
  install -D -m 0644 /dev/stdin "$DESTDIR/etc/sysctl.d/90-naltrexone-kiosk.conf" <<'CONF'
# naltrexone-kiosk: the SysRq key combinations are off on a public kiosk
kernel.sysrq = 0
CONF
  if [ -z "$DESTDIR" ]; then sysctl -q -p /etc/sysctl.d/90-naltrexone-kiosk.conf || true; fi
  say "no spare text consoles (logind NAutoVTs=0) and SysRq off"
}

configure_cups() {
  # CUPS keeps a plaintext copy of every printed job (a clinician summary: name, answers, staff note) in
  # /var/spool/cups for a day by default. Keep none, and keep the job list (titles, times) five minutes only.
  local conf="$DESTDIR/etc/cups/cupsd.conf"
  if [ ! -f "$conf" ]; then say "no local CUPS server ($conf missing): set PreserveJobFiles No on the print server"; return; fi
  sed -i -e '/^[[:space:]]*PreserveJob\(Files\|History\)[[:space:]]/Id' -e '/^# naltrexone-kiosk: printed summaries/d' "$conf"
  printf '%s\n' "# naltrexone-kiosk: printed summaries are not kept in the spool" \
    "PreserveJobFiles No" "PreserveJobHistory 300" >> "$conf"
  if [ -z "$DESTDIR" ] && [ -d /run/systemd/system ]; then systemctl try-restart cups.service >/dev/null 2>&1 || true; fi
  say "CUPS keeps no copy of printed jobs (PreserveJobFiles No, job history 5 minutes)"
}

install_service() {
  install -D -m 0644 "$HERE/naltrexone-kiosk.service" "$DESTDIR/etc/systemd/system/naltrexone-kiosk.service"
  install -D -m 0644 "$HERE/naltrexone-kiosk.pam" "$DESTDIR/etc/pam.d/naltrexone-kiosk"
  if [ -n "$DESTDIR" ]; then
    systemctl --root="$DESTDIR" enable naltrexone-kiosk.service >/dev/null 2>&1 ||
      { mkdir -p "$DESTDIR/etc/systemd/system/graphical.target.wants"
        ln -sfn /etc/systemd/system/naltrexone-kiosk.service \
          "$DESTDIR/etc/systemd/system/graphical.target.wants/naltrexone-kiosk.service"; }
    ln -sfn /lib/systemd/system/graphical.target "$DESTDIR/etc/systemd/system/default.target"
  else
    if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
    systemctl enable naltrexone-kiosk.service >/dev/null 2>&1
    systemctl set-default graphical.target >/dev/null 2>&1
  fi
  say "naltrexone-kiosk.service installed and enabled; the machine boots to it"
}

install_bundle
if [ "$MODE" = desktop ]; then
  ensure_packages "${RUNTIME_PACKAGES[@]}"
  install_desktop_entry
  configure_cups
  say "done. Start it from the menu, or run: naltrexone-kiosk --windowed"
else
  ensure_packages "${RUNTIME_PACKAGES[@]}" "${KIOSK_PACKAGES[@]}"
  ensure_user
  lock_down
  configure_cups
  install_service
  say "done. Reboot, or start it now with: systemctl start naltrexone-kiosk"
  say "data, PDFs and logs/kiosk.log: $STATE_DIR/data (owner-only, user $KIOSK_USER)"
fi
