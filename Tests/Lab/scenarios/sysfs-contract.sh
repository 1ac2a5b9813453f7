# lab: machine=default expect=pass timeout=300
# The sysfs provisioning contract (Tests/Contract/sysfs-device-cases.json) on a real kernel:
# the cases marked "lab" run here against QEMU's NVMe PF with plain shell writes, doing what
# the sysfs adapter does (sriov_numvfs; driver_override, unbind from another driver,
# drivers_probe), and read the result from sysfs. The host suite SysfsDeviceContractTests
# runs every case against SimulatedSRIOVHost and against the adapter over the kernel model
# (SysfsKernelModel): so the kernel, the model and the simulator answer the same, errno for
# errno. (VF addresses are the model's own scheme and are not compared here.)

CASES=$LAB_DIR/contract/sysfs-device-cases.json
[ -f "$CASES" ] || fail "no contract file at $CASES"
jq -c '[.cases[] | select(.lab == true)][]' "$CASES" > /tmp/sysfs-cases.jsonl
count=$(wc -l < /tmp/sysfs-cases.jsonl)
assert_ne "lab cases in the sysfs contract" 0 "$count"

PFADDR=$(nvme_pf)
D=/sys/bus/pci/devices/$PFADDR
# strerror text of the errnos the contract names (what bash prints for a refused write).
strerror() {
    case $1 in
        2) echo "No such file or directory" ;;
        16) echo "Device or resource busy" ;;
        28) echo "No space left on device" ;;
        34) echo "Numerical result out of range" ;;
        *) echo "errno $1" ;;
    esac
}
# vf_driver I: VF I's driver, or null.
vf_driver() {
    local l=$D/virtfn$1/driver
    if [ -e "$l" ]; then basename "$(readlink -f "$l")"; else echo null; fi
}
# bind_like_adapter I: SysfsSRIOVDeviceControl.bindVFIO's writes for VF I.
bind_like_adapter() {
    local pci d current
    pci=$(basename "$(readlink -f "$D/virtfn$1")")
    d=/sys/bus/pci/devices/$pci
    echo vfio-pci > "$d/driver_override"
    current=$(vf_driver "$1")
    if [ "$current" != null ] && [ "$current" != vfio-pci ]; then echo "$pci" > "$d/driver/unbind"; fi
    if [ "$(vf_driver "$1")" != vfio-pci ]; then echo "$pci" > /sys/bus/pci/drivers_probe; fi
}

# One jq run per case and one per step list (each jq start costs about a second under TCG).
i=0
while IFS= read -r case_json; do
    printf '%s\n' "$case_json" > /tmp/case.json
    IFS='|' read -r name total driver case_autoprobe after_numvfs after_drivers < <(jq -r '[.name, .pf.totalVFs, .pf.driver,
        .pf.autoprobe, .after.numVFs, ([.after.drivers[] | . // "null"] | join(","))] | map(tostring) | join("|")' /tmp/case.json)
    step "sysfs contract: $name"
    assert_eq "the lab's NVMe PF has the contract's sriov_totalvfs" "$total" "$(cat "$D/sriov_totalvfs")"
    assert_eq "the lab's NVMe PF driver" "$driver" "$(basename "$(readlink -f "$D/driver")")"
    echo 0 > "$D/sriov_numvfs"
    if [ "$case_autoprobe" = true ]; then echo 1 > "$D/sriov_drivers_autoprobe"; else echo 0 > "$D/sriov_drivers_autoprobe"; fi

    jq -r '.steps[] | [(.numvfs // ""), (.vfio // ""), (if .autoprobe == null then "" else .autoprobe end),
        (.errno // ""), (.code // "")] | map(tostring) | join("|")' /tmp/case.json > /tmp/steps.txt
    while IFS='|' read -r numvfs vfio autoprobe want_errno want_code; do
        err=""
        if [ -n "$numvfs" ]; then
            what="numvfs $numvfs"
            err=$( { echo "$numvfs" > "$D/sriov_numvfs"; } 2>&1 ) || true
            if [ -z "$err" ] && [ "$numvfs" != 0 ]; then
                wait_for 10 "virtfn$((numvfs - 1))" test -e "$D/virtfn$((numvfs - 1))"
            fi
        elif [ -n "$vfio" ]; then
            what="vfio $vfio"
            err=$( { bind_like_adapter "$vfio"; } 2>&1 ) || true
        else
            what="autoprobe $autoprobe"
            if [ "$autoprobe" = true ]; then v=1; else v=0; fi
            err=$( { echo "$v" > "$D/sriov_drivers_autoprobe"; } 2>&1 ) || true
        fi
        if [ -n "$want_errno" ]; then
            assert_contains "$what refused as the contract says (errno $want_errno)" "$err" "$(strerror "$want_errno")"
        elif [ -n "$want_code" ]; then
            [ -n "$err" ] || fail "contract '$name': $what succeeded; the contract says $want_code"
            _lab_ok "$what refused"
        else
            assert_eq "$what succeeds" "" "$err"
        fi
    done < /tmp/steps.txt

    # The result, read from sysfs.
    assert_eq "sriov_numvfs after '$name'" "$after_numvfs" "$(cat "$D/sriov_numvfs")"
    drivers=""
    n=$(cat "$D/sriov_numvfs")
    for ((v = 0; v < n; v++)); do drivers="$drivers$(vf_driver "$v"),"; done
    assert_eq "VF drivers after '$name'" "$after_drivers" "${drivers%,}"
    i=$((i + 1))
done < /tmp/sysfs-cases.jsonl
echo 0 > "$D/sriov_numvfs"
note "$i sysfs contract cases held on the NVMe PF"
