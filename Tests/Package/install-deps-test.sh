#!/usr/bin/env bash
# scripts/install-deps.sh against stand-ins for dpkg-query, apt-get and id on PATH, so it
# runs anywhere in a moment and changes nothing:
#   - nothing missing: silent, exit 0, apt-get never called;
#   - as non-root with packages missing: exit 1, the exact apt-get line naming only them;
#   - as root with packages missing: one `apt-get update`, one `apt-get install` of them.
# Usage: Tests/Package/install-deps-test.sh      exit 0 pass, 1 fail
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { printf 'install-deps-test: FAIL: %s\n' "$*" >&2; exit 1; }

mkdir "$work/bin"
# dpkg-query -W -f=FORMAT PKG...: every package installed except those in $MISSING.
cat > "$work/bin/dpkg-query" <<'STUB'
#!/usr/bin/env bash
shift 2
for p in "$@"; do
  [[ " $MISSING " == *" $p "* ]] || printf '%s install ok installed\n' "$p"
done
STUB
printf '#!/bin/sh\necho "apt-get $*" >> "$APT_LOG"\n' > "$work/bin/apt-get"
printf '#!/bin/sh\necho "$FAKE_UID"\n' > "$work/bin/id"
chmod +x "$work/bin/"*
run() { # run UID MISSING: output in $work/out, status in $status
  set +e
  PATH="$work/bin:$PATH" FAKE_UID=$1 MISSING=$2 APT_LOG="$work/apt.log" \
    "$repo/scripts/install-deps.sh" > "$work/out" 2>&1
  status=$?
  set -e
}

run 1000 ""
[[ $status -eq 0 && ! -s $work/out && ! -e $work/apt.log ]] ||
  fail "nothing missing: expected silence and exit 0, got $status: $(cat "$work/out")"

run 1000 "libxml2-utils jq"
[[ $status -eq 1 ]] || fail "non-root with packages missing: exit $status, expected 1"
grep -qx '  apt-get update && apt-get install -y --no-install-recommends jq libxml2-utils' "$work/out" ||
  fail "non-root: no exact apt-get line for the two missing packages: $(cat "$work/out")"
[[ ! -e $work/apt.log ]] || fail "non-root: apt-get was called"

run 0 "libxml2-utils jq"
[[ $status -eq 0 ]] || fail "root: exit $status: $(cat "$work/out")"
[[ $(grep -c 'apt-get update' "$work/apt.log") -eq 1 ]] || fail "root: not one apt-get update: $(cat "$work/apt.log")"
installs=$(grep 'apt-get install' "$work/apt.log")
[[ $(wc -l <<< "$installs") -eq 1 && $installs == *" jq"* && $installs == *" libxml2-utils"* &&
   $installs == *--no-install-recommends* ]] || fail "root: expected one install of jq and libxml2-utils: $installs"
[[ $(wc -w <<< "${installs#*--no-install-recommends}") -eq 2 ]] || fail "root: installs more than the missing: $installs"

# Read the whole list first: with pipefail, `--list | grep -q` fails whenever grep exits
# before the list is written (SIGPIPE), which is a matter of timing.
list=$("$repo/scripts/install-deps.sh" --list) || fail "--list exited $?"
grep -qx libxml2-utils <<< "$list" || fail "--list does not name libxml2-utils"
echo "install-deps-test: PASS"
