#!/usr/bin/env bash
# Installs what heapscope needs (Debian packages, the samples' npm packages) and builds it.
# Safe to run twice: installs only what is missing and rebuilds incrementally.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(build-essential cmake pkg-config rapidjson-dev libcli11-dev libboost-graph-dev
  libfmt-dev libgtest-dev zlib1g-dev prometheus libxml2-utils chromium time)
# Optional, used when present (docs/performance.md): oneTBB for the parallel loops and sorts,
# ISA-L's igzip for inflating .heapsnapshot.gz. The build falls back to serial code and zlib.
if [[ "${HEAPSCOPE_OPTIONAL_LIBS:-1}" != 0 ]]; then
  APT_PACKAGES+=(libtbb-dev libisal-dev)
fi
# The fuzz and sanitizer lanes of scripts/test.sh build with clang 16 (clang 14 cannot compile all
# of the C++20 code) and libFuzzer from its runtime package.
if [[ "${HEAPSCOPE_FUZZ_LANE:-1}" != 0 || "${HEAPSCOPE_SANITIZER_LANE:-1}" == 1 ]]; then
  APT_PACKAGES+=(clang-16 libclang-rt-16-dev)
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "setup: warning: Node $(node --version) found; the samples are pinned and tested on Node 20" >&2
fi

# The reference server's dependencies, pinned by its package-lock.json.
for lock in samples/*/package-lock.json tests/*/package-lock.json bench/package-lock.json; do
  dir=$(dirname "$lock")
  if [[ -f "$lock" ]]; then
    stamp="$dir/node_modules/.package-lock.json"
    if [[ ! -f "$stamp" || "$dir/package-lock.json" -nt "$stamp" ]]; then
      echo "setup: npm ci in $dir"
      (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
  fi
done

BUILD_TYPE=${HEAPSCOPE_BUILD_TYPE:-Release}
cmake -S . -B build -DCMAKE_BUILD_TYPE="$BUILD_TYPE" ${HEAPSCOPE_CMAKE_ARGS:-} >/dev/null
cmake --build build -j"$(nproc)"
