# lab: machine=default expect=pass timeout=900 bench=yes
# Benchmark (not a test: nothing is asserted about speed). In one boot, programs MAC +
# VLAN + trust + spoofchk on all 256 VFs of one netdevsim PF three ways and reads them back:
#   1. sriovctl vf apply (one RTM_SETLINK for the PF)
#   2. a shell loop of `ip link set PF vf N mac .. vlan .. trust .. spoofchk ..` (256 processes)
#   3. one `ip -batch` file (one process, one request per VF)
# then MAC + VLAN on a 700-VF PF (past the wrapped VF list length) with sriovctl and ip -batch,
# and reading those 700 back.
# Clock: /proc/uptime (monotonic, 10 ms ticks); each way is repeated so the total is far
# above the tick. Results: @@LAB-NOTE lines starting with "bench:" (see docs/benchmarks.md).

VFS=256
ROUNDS=20        # runs of sriovctl, ip -batch and the baselines
LOOP_ROUNDS=2    # runs of the 256-process ip loop
BIG_ROUNDS=10    # runs on the 700-VF PF

step "A netdevsim PF with $VFS VFs"
PF=$(netdevsim_pf 4 $VFS)
netdevsim_set_vfs "$PF" $VFS
$IP link set "$PF" up

# Two variants (A, B) of the same settings, alternated so every run changes every VF.
for v in 0 1; do
    : > /tmp/spec$v.jsonl
    : > /tmp/batch$v.ip
    : > /tmp/loop$v.args
    for ((n = 0; n < VFS; n++)); do
        mac=$(printf '02:%02x:00:00:%02x:%02x' $v $((n / 256)) $((n % 256)))
        vlan=$((n + 1 + v * 1000))
        if [ $v -eq 0 ]; then t=on; s=off; tj=true; sj=false; else t=off; s=on; tj=false; sj=true; fi
        printf '{"vf": %d, "mac": "%s", "vlan": %d, "trust": %s, "spoofchk": %s}\n' $n "$mac" $vlan $tj $sj >> /tmp/spec$v.jsonl
        printf 'link set dev %s vf %d mac %s vlan %d trust %s spoofchk %s\n' "$PF" $n "$mac" $vlan $t $s >> /tmp/batch$v.ip
        printf '%d %s %d %s %s\n' $n "$mac" $vlan $t $s >> /tmp/loop$v.args
    done
done

# now_ms: monotonic milliseconds since boot.
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

# check VARIANT: every VF reads back as VARIANT set it (so a timing counts only work done).
check() {
    sriovctl vf show "$PF" --json > /tmp/check.json
    jq -s . /tmp/spec$1.jsonl > /tmp/spec$1.json
    local bad
    bad=$(jq -r --slurpfile spec /tmp/spec$1.json '
        [.vfs[] as $v | $spec[0][] | select(.vf == $v.index)
         | select(.mac != $v.mac or .vlan != $v.vlans[0].id or .trust != $v.trust or .spoofchk != $v.spoofchk)]
        | length' /tmp/check.json)
    assert_eq "$2: VFs not as set" 0 "$bad"
}

# report NAME TOTAL_MS RUNS [VFS]
report() {
    awk -v name="$1" -v total="$2" -v runs="$3" -v vfs="${4:-$VFS}" 'BEGIN {
        per = total / runs
        printf "bench: %s: %d runs in %d ms: %.1f ms per %d VFs, %.1f us per VF\n", name, runs, total, per, vfs, per * 1000 / vfs
    }'
}

step "sriovctl vf apply ($ROUNDS runs)"
sriovctl vf apply "$PF" --file /tmp/spec0.jsonl --json > /tmp/report.json
assert_json /tmp/report.json '.requests' 1
start=$(now_ms)
for ((r = 0; r < ROUNDS; r++)); do
    sriovctl vf apply "$PF" --file /tmp/spec$((r % 2)).jsonl > /dev/null
done
sriovctl_ms=$(( $(now_ms) - start ))
check $(( (ROUNDS - 1) % 2 )) "sriovctl"
note "$(report "sriovctl vf apply" $sriovctl_ms $ROUNDS)"

step "ip -batch ($ROUNDS runs)"
start=$(now_ms)
for ((r = 0; r < ROUNDS; r++)); do
    $IP -batch /tmp/batch$((r % 2)).ip
done
batch_ms=$(( $(now_ms) - start ))
check $(( (ROUNDS - 1) % 2 )) "ip -batch"
note "$(report "ip -batch" $batch_ms $ROUNDS)"

step "shell loop of ip link set ($LOOP_ROUNDS runs)"
start=$(now_ms)
for ((r = 0; r < LOOP_ROUNDS; r++)); do
    while read -r n mac vlan t s; do
        $IP link set dev "$PF" vf "$n" mac "$mac" vlan "$vlan" trust "$t" spoofchk "$s"
    done < /tmp/loop$((r % 2)).args
done
loop_ms=$(( $(now_ms) - start ))
check $(( (LOOP_ROUNDS - 1) % 2 )) "ip loop"
note "$(report "ip link set loop" $loop_ms $LOOP_ROUNDS)"

step "Reading all $VFS VFs ($ROUNDS runs)"
start=$(now_ms)
for ((r = 0; r < ROUNDS; r++)); do
    sriovctl vf show "$PF" --json > /dev/null
done
read_ms=$(( $(now_ms) - start ))
note "$(report "sriovctl vf show --json (read)" $read_ms $ROUNDS)"
start=$(now_ms)
for ((r = 0; r < ROUNDS; r++)); do
    $IP -j link show "$PF" > /dev/null
done
ipread_ms=$(( $(now_ms) - start ))
note "$(report "ip -j link show (read, truncated to 34 VFs)" $ipread_ms $ROUNDS)"

step "Where sriovctl's time goes ($ROUNDS runs each)"
# Parse only: the last line is invalid, so all 256 are parsed and checked, nothing sent.
{ cat /tmp/spec0.jsonl; echo '{"vf": 0, "vlan": 4096}'; } > /tmp/spec-badvalue.jsonl
start=$(now_ms)
for ((r = 0; r < ROUNDS; r++)); do sriovctl vf apply "$PF" --file /tmp/spec-badvalue.jsonl 2> /dev/null && fail "should fail"; done
parse_ms=$(( $(now_ms) - start ))
note "$(report "sriovctl vf apply, refused after parsing 256 lines (start + sysfs + parse)" $parse_ms $ROUNDS)"

step "Process start alone: sriovctl --version, ip -V ($ROUNDS runs)"
start=$(now_ms)
for ((r = 0; r < ROUNDS; r++)); do sriovctl --version > /dev/null; done
start_ms=$(( $(now_ms) - start ))
note "$(report "sriovctl --version (process start, no work)" $start_ms $ROUNDS)"
start=$(now_ms)
for ((r = 0; r < ROUNDS; r++)); do $IP -V > /dev/null; done
ipstart_ms=$(( $(now_ms) - start ))
note "$(report "ip -V (process start, no work)" $ipstart_ms $ROUNDS)"

step "Side by side, interleaved ($ROUNDS rounds): the goals of docs/benchmarks.md"
# Each round runs sriovctl --version, ip -V, one sriovctl vf apply and one ip -batch back to
# back, so a busy host slows both tools alike; each run is timed on its own with bash's
# EPOCHREALTIME (microseconds). sriovctl and ip -batch write opposite variants, so every run
# changes every VF.
us_now() { local t=${EPOCHREALTIME/./}; echo $((10#$t)); }
v_us=0; ipv_us=0; apply_us=0; batch_us=0
for ((r = 0; r < ROUNDS; r++)); do
    t0=$(us_now); sriovctl --version > /dev/null; t1=$(us_now); v_us=$((v_us + t1 - t0))
    t0=$(us_now); $IP -V > /dev/null; t1=$(us_now); ipv_us=$((ipv_us + t1 - t0))
    t0=$(us_now); sriovctl vf apply "$PF" --file /tmp/spec$((r % 2)).jsonl > /dev/null; t1=$(us_now); apply_us=$((apply_us + t1 - t0))
    t0=$(us_now); $IP -batch /tmp/batch$(((r + 1) % 2)).ip; t1=$(us_now); batch_us=$((batch_us + t1 - t0))
done
check $(( ROUNDS % 2 )) "interleaved ip -batch"
note "$(awk -v v=$v_us -v iv=$ipv_us -v a=$apply_us -v b=$batch_us -v n=$ROUNDS 'BEGIN {
    printf "bench: interleaved, per run: sriovctl --version %.1f ms, ip -V %.1f ms (%.2fx); sriovctl vf apply 256 VFs %.1f ms, ip -batch %.1f ms (%.2fx)",
        v / n / 1000, iv / n / 1000, v / iv, a / n / 1000, b / n / 1000, a / b }')"

step "Past the wrapped VF list: 700 VFs on a second PF, sriovctl vf apply vs ip -batch, and reading ($BIG_ROUNDS runs)"
BIG=700
PF2=$(netdevsim_pf 5 $BIG)
netdevsim_set_vfs "$PF2" $BIG
$IP link set "$PF2" up
for v in 0 1; do
    : > /tmp/big$v.jsonl
    : > /tmp/big$v.ip
    for ((n = 0; n < BIG; n++)); do
        mac=$(printf '02:%02x:01:00:%02x:%02x' $v $((n / 256)) $((n % 256)))
        vlan=$((n + 1 + v * 1000))
        printf '{"vf": %d, "mac": "%s", "vlan": %d}\n' $n "$mac" $vlan >> /tmp/big$v.jsonl
        printf 'link set dev %s vf %d mac %s vlan %d\n' "$PF2" $n "$mac" $vlan >> /tmp/big$v.ip
    done
done
# big_check VARIANT WHO: all 700 VFs read back as VARIANT set them.
big_check() {
    local want got
    want=$(jq -r '"\(.vf) \(.mac) \(.vlan)"' /tmp/big$1.jsonl)
    got=$(sriovctl vf show "$PF2" --json | jq -r '.vfs[] | "\(.index) \(.mac) \(.vlans[0].id)"')
    assert_eq "$2: all $BIG VFs as set" "$want" "$got"
}
start=$(now_ms)
for ((r = 0; r < BIG_ROUNDS; r++)); do sriovctl vf apply "$PF2" --file /tmp/big$((r % 2)).jsonl > /dev/null; done
big_sriovctl_ms=$(( $(now_ms) - start ))
big_check $(( (BIG_ROUNDS - 1) % 2 )) "sriovctl"
note "$(report "sriovctl vf apply, $BIG VFs (MAC + VLAN, 2 requests)" $big_sriovctl_ms $BIG_ROUNDS $BIG)"
start=$(now_ms)
for ((r = 0; r < BIG_ROUNDS; r++)); do $IP -batch /tmp/big$((r % 2)).ip; done
big_batch_ms=$(( $(now_ms) - start ))
big_check $(( (BIG_ROUNDS - 1) % 2 )) "ip -batch"
note "$(report "ip -batch, $BIG VFs (MAC + VLAN)" $big_batch_ms $BIG_ROUNDS $BIG)"
start=$(now_ms)
for ((r = 0; r < BIG_ROUNDS; r++)); do sriovctl vf show "$PF2" --json > /dev/null; done
big_read_ms=$(( $(now_ms) - start ))
note "$(report "sriovctl vf show --json, $BIG VFs (read; ip lists $($IP link show "$PF2" | grep -c "vf [0-9]"))" $big_read_ms $BIG_ROUNDS $BIG)"

step "Ratios"
note "$(awk -v s=$sriovctl_ms -v rs=$ROUNDS -v b=$batch_ms -v l=$loop_ms -v rl=$LOOP_ROUNDS 'BEGIN {
    sp = s / rs; bp = b / rs; lp = l / rl
    if (sp < 1) sp = 1
    printf "bench: ratios per run: ip -batch / sriovctl = %.1fx, ip loop / sriovctl = %.1fx", bp / sp, lp / sp
}')"
