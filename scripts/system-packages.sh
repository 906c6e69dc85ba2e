#!/usr/bin/env bash
# Installs the Debian packages Civicmeter's tests and PDFs need, if they are missing.
# Chromium: the Playwright browser tests (downloads via `playwright install` are not used).
# Pango: WeasyPrint's text layout for PDF snapshots. gettext: compiling the es/fr translations.
# hey: the HTTP load generator of `make bench`'s page-speed benchmark (benchmarks/bench_pages.py).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v hey >/dev/null 2>&1 || need+=(hey)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${need[*]}. Install them with: sudo apt-get install ${need[*]}" >&2
  exit 0
fi
echo "Installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
