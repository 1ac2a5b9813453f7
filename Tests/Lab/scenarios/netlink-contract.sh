# lab: machine=default expect=pass timeout=300
# The VF programming contract (Tests/Contract/vf-link-cases.json) on a real kernel: the
# cases marked "lab" run here against netdevsim, with iproute2 setting the starting state
# and reading the result. The host suite VFLinkContractTests runs every case against the
# in-memory fake and the adapter, so a fake that differs from the kernel fails somewhere.
# (iproute2 prints a VLAN's protocol only when it is not 802.1Q.)

CASES=$LAB_DIR/contract/vf-link-cases.json
[ -f "$CASES" ] || fail "no contract file at $CASES"
jq -c '[.cases[] | select(.lab == true)][]' "$CASES" > /tmp/lab-cases.jsonl
count=$(wc -l < /tmp/lab-cases.jsonl)
assert_ne "lab cases in the contract" 0 "$count"

i=0
while IFS= read -r case_json; do
    printf '%s\n' "$case_json" > /tmp/case.json
    name=$(jq -r .name /tmp/case.json)
    vfs=$(jq -r .vfs /tmp/case.json)
    step "contract: $name"
    PF=$(netdevsim_pf $((30 + i)) "$vfs")
    netdevsim_set_vfs "$PF" "$vfs"

    # The starting state, set by iproute2 (not by sriovctl).
    jq -r '(.before // [])[] | "vf \(.vf)"
        + (if .mac then " mac \(.mac)" else "" end)
        + (if .vlan != null then " vlan \(.vlan) qos \(.qos // 0)" + (if .proto then " proto \(.proto)" else "" end) else "" end)
        + (if .minRate != null then " min_tx_rate \(.minRate)" else "" end)
        + (if .maxRate != null then " max_tx_rate \(.maxRate)" else "" end)
        + (if .spoofchk != null then " spoofchk \(if .spoofchk then "on" else "off" end)" else "" end)
        + (if .trust != null then " trust \(if .trust then "on" else "off" end)" else "" end)
        + (if .linkState then " state \(.linkState)" else "" end)' /tmp/case.json > /tmp/before.txt
    while read -r -a args; do
        show $IP link set "$PF" "${args[@]}"
    done < /tmp/before.txt

    jq -c '.apply[]' /tmp/case.json > /tmp/case.jsonl
    expect_ok=$(jq -r '[.outcomes[] | select(.code != null)] | length == 0' /tmp/case.json)
    rc=0
    sriovctl vf apply "$PF" --file /tmp/case.jsonl --json > /tmp/report.json 2>/tmp/report.err || rc=$?
    if [ "$expect_ok" = true ]; then
        assert_eq "vf apply exit status ($(cat /tmp/report.err))" 0 "$rc"
    else
        assert_eq "vf apply exit status when a VF fails" 1 "$rc"
    fi

    # Outcomes: applied fields, error code and message, VF by VF.
    problems=$(jq -r --slurpfile report /tmp/report.json '
        .outcomes[] as $want
        | ([$report[0].outcomes[] | select(.index == $want.vf)][0]) as $got
        | if $got == null then "VF \($want.vf): no outcome"
          elif $got.applied != $want.applied then "VF \($want.vf): applied \($got.applied), want \($want.applied)"
          elif ($got.error.code // null) != ($want.code // null) then "VF \($want.vf): error \($got.error // "none"), want code \($want.code)"
          elif $want.message != null and ((($got.error.message // "") | contains($want.message)) | not)
            then "VF \($want.vf): message \($got.error.message), want it to contain \($want.message)"
          else empty end' /tmp/case.json)
    [ -z "$problems" ] || fail "contract '$name': $problems"
    _lab_ok "outcomes as in the contract"

    # The result, read by iproute2.
    $IP -j link show "$PF" > /tmp/ip.json
    problems=$(jq -r --slurpfile ip /tmp/ip.json '
        (.after // [])[] as $want
        | ([$ip[0][0].vfinfo_list[] | select(.vf == $want.vf)][0]) as $got
        | ($got.vlan_list[0] // {}) as $vlan
        | [ (if $want.mac and $got.address != $want.mac then "mac \($got.address)" else empty end),
            (if $want.vlan != null and ($vlan.vlan // 0) != $want.vlan then "vlan \($vlan.vlan // 0)" else empty end),
            (if $want.qos != null and ($vlan.qos // 0) != $want.qos then "qos \($vlan.qos // 0)" else empty end),
            (if $want.proto and ($want.vlan // 0) != 0 and ($vlan.protocol // "802.1Q") != $want.proto then "proto \($vlan.protocol)" else empty end),
            (if $want.spoofchk != null and $got.spoofchk != $want.spoofchk then "spoofchk \($got.spoofchk)" else empty end),
            (if $want.trust != null and $got.trust != $want.trust then "trust \($got.trust)" else empty end),
            (if $want.linkState and $got.link_state != $want.linkState then "link state \($got.link_state)" else empty end),
            (if $want.minRate != null and $got.rate.min_tx != $want.minRate then "min rate \($got.rate.min_tx)" else empty end),
            (if $want.maxRate != null and $got.rate.max_tx != $want.maxRate then "max rate \($got.rate.max_tx)" else empty end)
          ] | select(length > 0) | "VF \($want.vf) (want \($want | tojson)): iproute2 shows \(join(", "))"' /tmp/case.json)
    [ -z "$problems" ] || fail "contract '$name': $problems"
    _lab_ok "iproute2 shows the state the contract says"
    i=$((i + 1))
done < /tmp/lab-cases.jsonl
note "$i contract cases held on netdevsim"
