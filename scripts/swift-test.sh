#!/usr/bin/env bash
# `swift test`, and in CI (CI set, as .ci/run's environment has it) a skipped test is a
# failure: a test skips only when a daemon, a tool or root is missing, and CI installs and
# starts all of them, so a skip there means the set-up is broken and the test proved nothing.
set -uo pipefail
swift=${SWIFT:-swift}
log=$(mktemp /tmp/sriovctl-swift-test.XXXXXX)
trap 'rm -f "$log"' EXIT
"$swift" test "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
[ "$status" -eq 0 ] || exit "$status"
if [ -n "${CI:-}" ]; then
    # Swift Testing prints `Test "NAME" skipped: "REASON"`; XCTest prints `... skipped`.
    skipped=$(grep -E '" skipped|Test Case .* skipped' "$log" || true)
    if [ -n "$skipped" ]; then
        echo "swift-test: in CI every test must run; these were skipped:" >&2
        printf '%s\n' "$skipped" >&2
        exit 1
    fi
fi
