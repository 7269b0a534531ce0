#!/usr/bin/env bash
# The whole test suite (README's second command runs `bash scripts/install.sh && npm test`).
# Starts what it needs itself: pcscd with the preload (scripts/setup.sh). With CI=true a
# missing part is a failure, never a skip (the suites check it again themselves).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
node scripts/check-layers.mjs
npx tsc -p tsconfig.json
bash scripts/setup.sh
if (($#)); then
  SSCARD_SKIP_BUILD=1 npx vitest run "$@"
else
  # One project after the other: the pcsc project inserts cards into the shared vpcd readers
  # and restarts pcscd, which must never overlap the in-process tests.
  SSCARD_SKIP_BUILD=1 npx vitest run --project unit
  SSCARD_SKIP_BUILD=1 npx vitest run --project pcsc
fi
