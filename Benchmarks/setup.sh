#!/usr/bin/env bash
# Installs what SwiftSparse needs on a fresh Debian machine that already has Swift:
# OpenBLAS's CBLAS (libopenblas-dev) and pkg-config. Does nothing when they are present.
set -euo pipefail
if pkg-config --exists openblas 2>/dev/null; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "Installing libopenblas-dev and pkg-config..." >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq libopenblas-dev pkg-config >/dev/null
