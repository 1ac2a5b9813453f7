#!/usr/bin/env bash
# make fuzz: build each libFuzzer target and run it for FUZZ_SECONDS (default 60).
#   FUZZ_TARGETS="FuzzConfigFile FuzzAuditMerge" FUZZ_SECONDS=300 make fuzz
# Seeds are read from Fuzz/corpus/<target>/ (committed); what libFuzzer finds goes to
# .fuzz/ (gitignored): .fuzz/corpus/<target>/ (the growing corpus, kept between runs)
# and .fuzz/crashes/<target>/ (crash-*, leak-*, timeout-*, oom-* inputs).
# Prints the executions each target reached; exits 1 when any target found a problem.
# Reproduce one: .build-fuzz/release/<target> .fuzz/crashes/<target>/crash-…  (docs/fuzzing.md)
set -uo pipefail
cd "$(dirname "$0")/.."

swift=${SWIFT:-swift}
seconds=${FUZZ_SECONDS:-60}
targets=(${FUZZ_TARGETS:-FuzzLinkReply FuzzDomainXML FuzzConfigFile FuzzAuditMerge FuzzKernelEvents})
# SwiftPM's `--sanitize fuzzer --sanitize address` becomes two -sanitize= flags in a varying
# order and the Swift driver keeps only the last one, so a build had either no coverage or no
# ASan: `--sanitize fuzzer` stays (SwiftPM then links libFuzzer's main instead of the target's)
# and -Xswiftc -sanitize=fuzzer,address, which comes last, is the one the driver keeps. C
# targets (Yams' libyaml) get the same through -Xcc. -DFUZZING turns the stubs into LLVMFuzzerTestOneInput; -enable-testing lets
# FuzzLinkReply reach the internal netlink parser; --disable-dead-strip keeps the coverage
# counters, which ld.gold's --gc-sections drops (libFuzzer then sees no coverage at all).
build=("$swift" build -c release --disable-dead-strip --scratch-path .build-fuzz --sanitize fuzzer
       -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address
       -Xswiftc -DFUZZING -Xswiftc -enable-testing)

# Leaks in libraries we do not own (each explained in the file) are not findings.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0}

failed=()
summary=()
for target in "${targets[@]}"; do
  if [ ! -d "Fuzz/corpus/$target" ]; then
    echo "fuzz: no such target $target (Fuzz/corpus/$target is missing)" >&2
    exit 2
  fi
  mkdir -p .fuzz
  echo "fuzz: building $target"
  if ! "${build[@]}" --product "$target" > ".fuzz/$target.build.log" 2>&1; then
    tail -40 ".fuzz/$target.build.log" >&2
    echo "fuzz: $target: build failed" >&2
    exit 2
  fi
  binary=.build-fuzz/release/$target
  work=.fuzz/corpus/$target
  crashes=.fuzz/crashes/$target
  mkdir -p "$work" "$crashes"
  log=.fuzz/$target.log
  echo "fuzz: running $target for ${seconds}s (log: $log)"
  # FoundationXML leaks on every malformed document (Fuzz/lsan.supp), so with leak detection
  # on, libFuzzer would scan the heap after nearly every input (30 exec/s instead of ~1500):
  # FuzzDomainXML fuzzes without it, and its whole corpus is replayed with it afterwards.
  extra=()
  replay_leaks=false
  if [ "$target" = FuzzDomainXML ]; then extra=(-detect_leaks=0); replay_leaks=true; fi
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: 2 GB is an out-of-memory.
  "$binary" "$work" "Fuzz/corpus/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$crashes/" "${extra[@]}" > "$log" 2>&1
  status=$?
  if [ "$status" -eq 0 ] && $replay_leaks; then
    echo "fuzz: replaying the $target corpus with leak detection"
    "$binary" "$work" "Fuzz/corpus/$target" -runs=0 -timeout=10 -artifact_prefix="$crashes/" \
      >> "$log" 2>&1
    status=$?
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  if [ "$status" -ne 0 ]; then
    grep -E '^(==[0-9]+==ERROR|SUMMARY|Fatal error|.*: Fatal error)|artifact_prefix|Test unit written' "$log" | sed -n 1,5p >&2
    failed+=("$target")
    summary+=("$target: FAILED after ${runs:-?} executions (${coverage:-cov: ?}); input in $crashes/")
  else
    summary+=("$target: ${runs:-?} executions in ${seconds}s, ${coverage:-cov: ?}, no crash")
  fi
done
echo
printf 'fuzz: %s\n' "${summary[@]}"
if ((${#failed[@]})); then
  echo "fuzz: FAILED: ${failed[*]} (see docs/fuzzing.md to reproduce and minimize)" >&2
  exit 1
fi
