#!/usr/bin/env bash
# Prints the commit the bench results name: WALNUT_COMMIT if set, else the short HEAD, marked
# "+dirty-kernel" when the kernel has uncommitted changes (the figures would not be that commit's).
set -euo pipefail
if [[ -n "${WALNUT_COMMIT:-}" ]]; then
  echo "$WALNUT_COMMIT"
elif id="$(git rev-parse --short HEAD 2>/dev/null)"; then
  git diff --quiet HEAD -- kernel || id+="+dirty-kernel"
  echo "$id"
else
  echo unknown
fi
