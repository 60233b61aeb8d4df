#!/usr/bin/env bash
# Installs what flyttkarta needs to build and test on Debian bookworm,
# idempotently: packages already installed are not touched, and apt-get
# update runs only when something is missing. Needs root (or sudo).
set -euo pipefail

PKGS=(
  build-essential clang libclang-rt-14-dev pkg-config
  libreadosm-dev libcsv-dev libzip-dev libjansson-dev zlib1g-dev
  libcmocka-dev libgeos-dev osmium-tool time bc
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "deps: installing ${missing[*]}" >&2
SUDO=
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "deps: not root and no sudo; install as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done" >&2
