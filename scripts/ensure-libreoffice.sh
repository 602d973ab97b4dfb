#!/usr/bin/env bash
# .doc, .wps and .odt reports are read by converting them with LibreOffice; install Debian's
# Writer without the GUI when it is missing (headless conversion needs nothing more).
set -euo pipefail
if command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; then exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "安装 libreoffice-writer-nogui（读取 .doc/.wps/.odt 报告需要）…"
$SUDO apt-get update -qq
# sudo drops the environment, so the variable goes through env.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui >/dev/null
