#!/usr/bin/env bash
# Finds a Deno of the pinned major version and prints its path on stdout.
#
# Order: $DENO if set; `deno` on PATH when its major version matches; the copy
# installed earlier under .deno/; else installs the pinned `deno` npm package
# into .deno/ (git-ignored). The npm registry is the only thing contacted.
set -euo pipefail

DENO_VERSION=2.9.6
DENO_MAJOR=${DENO_VERSION%%.*}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
local_dir="$root/.deno"

major_of() { "$1" --version 2>/dev/null | sed -n 's/^deno \([0-9]*\)\..*/\1/p' | head -n 1; }

if [ -n "${DENO:-}" ]; then
  if [ "$(major_of "$DENO")" = "$DENO_MAJOR" ]; then echo "$DENO"; exit 0; fi
  echo "bootstrap: DENO=$DENO is not Deno $DENO_MAJOR.x" >&2
  exit 1
fi

if command -v deno >/dev/null 2>&1 && [ "$(major_of deno)" = "$DENO_MAJOR" ]; then
  command -v deno
  exit 0
fi

find_local() {
  local c
  for c in "$local_dir"/node_modules/@deno/linux-*/deno "$local_dir/node_modules/deno/deno"; do
    if [ -x "$c" ] && [ "$(major_of "$c")" = "$DENO_MAJOR" ]; then echo "$c"; return 0; fi
  done
  return 1
}

if find_local; then exit 0; fi

if ! command -v npm >/dev/null 2>&1; then
  echo "bootstrap: cannot install Deno: npm is not on PATH (install Node.js and npm, or put Deno $DENO_MAJOR.x on PATH)" >&2
  exit 1
fi
echo "bootstrap: installing deno@$DENO_VERSION from the npm registry into .deno/" >&2
mkdir -p "$local_dir"
# --ignore-scripts: the platform package already ships the binary, and the
# package's postinstall would otherwise try to download it again.
npm install --prefix "$local_dir" --no-save --no-audit --no-fund --ignore-scripts --prefer-offline \
  --loglevel=error "deno@$DENO_VERSION" >&2
if find_local; then exit 0; fi
echo "bootstrap: cannot find the deno binary after installing deno@$DENO_VERSION (no package for $(uname -m)?)" >&2
exit 1
