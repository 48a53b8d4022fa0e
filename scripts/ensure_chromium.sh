#!/bin/sh
# Browser tests drive Debian's Chromium through Playwright (Playwright's own browser
# download is not used). Install it when it is missing.
set -e
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "Chromium fehlt (/usr/bin/chromium) und kann ohne Root-Rechte nicht installiert werden." >&2
  exit 1
fi
echo "Installiere Chromium aus den Debian-Paketen …"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
