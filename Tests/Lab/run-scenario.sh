#!/bin/bash
# Runs inside the VM: /lab/run-scenario.sh NAME. Called by /init, which turns
# the exit status into the @@LAB-RESULT line.
. "${LAB_DIR:-/lab}/lib.sh"
lab_setup "$1"
# shellcheck disable=SC1090
. "$LAB_SCENARIO_FILE"
