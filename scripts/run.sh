#!/usr/bin/env bash
# The README's two set-up commands, each doing the whole set-up on a fresh Debian machine:
#   bash scripts/run.sh report   install, then run the main job (`stepcheck report`: report/ and its PDF)
#   bash scripts/run.sh test     install with the test extras, then run every test (`python -m pytest -q`)
# The Debian packages (TeX Live for the PDF, poppler for the report tests) are installed with apt-get
# when missing and this runs as root; otherwise one line says what to install, the report is written
# without its PDF and the report tests skip.  Extra arguments go to `stepcheck report` / pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

# Keep in step with symbolic/toolchain.py (tests/test_loading.py checks it).
PACKAGES=(texlive-latex-base texlive-latex-recommended latexmk lmodern poppler-utils)
TOOLS=(latexmk pdflatex pdftotext pdftoppm)

verb=${1:-}
case "$verb" in
  report|test) shift ;;
  *) echo "usage: bash scripts/run.sh report|test [ARGS...]" >&2; exit 2 ;;
esac

can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
apt_updated=
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
missing_packages() {  # the Debian packages not installed (every one, where dpkg cannot tell)
  local p out=()
  for p in "${PACKAGES[@]}"; do
    if ! command -v dpkg-query >/dev/null 2>&1 \
       || ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      out+=("$p")
    fi
  done
  echo "${out[@]}"
}
missing_tools() {
  local t out=()
  for t in "${TOOLS[@]}"; do command -v "$t" >/dev/null 2>&1 || out+=("$t"); done
  echo "${out[@]}"
}

# 1. The system packages.
need=$(missing_packages)
if [ -n "$(missing_tools)" ] || { command -v dpkg-query >/dev/null 2>&1 && [ -n "$need" ]; }; then
  if can_apt; then
    # shellcheck disable=SC2086
    apt_install $need
  else
    echo "run.sh: $(missing_tools) not found and cannot be installed here (needs root and apt-get);" \
         "install them with: apt-get install -y --no-install-recommends ${PACKAGES[*]}" >&2
  fi
fi

# 2. Python and pip (a bare Debian has python3 without pip).
PY=${PYTHON:-$(command -v python3 || command -v python || true)}
if [ -z "$PY" ]; then echo "run.sh: no python3 found; install Python 3.10 or later" >&2; exit 2; fi
if ! "$PY" -m pip --version >/dev/null 2>&1; then
  if can_apt; then apt_install python3-pip; else
    echo "run.sh: $PY has no pip; install it (apt-get install python3-pip)" >&2; exit 2
  fi
fi
# Debian marks its Python as externally managed (PEP 668); this machine-wide set-up installs into it.
if "$PY" -c 'import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))'; then
  export PIP_BREAK_SYSTEM_PACKAGES=1
fi

# 3. The package, then the job.
if [ "$verb" = report ]; then
  "$PY" -m pip install -q -e .
  exec "$PY" -m symbolic report "$@"
else
  "$PY" -m pip install -q -e '.[test]'
  exec "$PY" -m pytest -q "$@"
fi
