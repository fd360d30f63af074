#!/bin/sh
# Run every bangfu benchmark in sequence; print the SUMMARY lines at the end.
# Usage: bench/run_all.sh   (from anywhere; uses the project's .venv)
# Exit status: 0 if every benchmark passed its budget, 1 otherwise.
cd "$(dirname "$0")/.." || exit 2
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
LOG=$(mktemp "${TMPDIR:-/tmp}/bangfu-bench-XXXXXX.log")
status=0
for name in first_screen keystroke case_open save_latency server_latency workflow_open report import_roster district_scale; do
    echo "==== $name ===="
    "$PY" "bench/$name.py" 2>&1 | tee -a "$LOG"
    # the python exit status, not tee's
    rc=$(tail -n 1 "$LOG" | grep -c 'PASS$')
    [ "$rc" = 1 ] || status=1
    echo
done
echo "==== summary ===="
grep '^SUMMARY' "$LOG"
rm -f "$LOG"
exit $status
