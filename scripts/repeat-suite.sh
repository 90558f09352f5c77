#!/usr/bin/env bash
# Run the whole test suite again and again in a fresh clone, to find tests that fail by
# chance. Usage: scripts/repeat-suite.sh RUNS [--beside]
#   --beside: each run has a second copy of the suite running beside it (another clone).
# Prints one line per run ("run 3: 516 passed in 175.49s") and every failed test's name;
# the logs stay in the folder it prints. Needs the project installed in the active venv.
set -uo pipefail
runs=${1:?how many runs}
beside=${2:-}
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
work=$(mktemp -d -t qualtui-repeat-XXXX)
git clone -q "$repo" "$work/a"
[ "$beside" = "--beside" ] && git clone -q "$repo" "$work/b"
echo "logs in $work"
for n in $(seq 1 "$runs"); do
    if [ "$beside" = "--beside" ]; then
        (cd "$work/b" && python -m pytest -q -p no:cacheprovider >"$work/b-$n.log" 2>&1) &
        other=$!
    fi
    (cd "$work/a" && python -m pytest -q -p no:cacheprovider >"$work/a-$n.log" 2>&1)
    [ "$beside" = "--beside" ] && wait "$other"
    for side in a b; do
        log="$work/$side-$n.log"
        [ -f "$log" ] || continue
        echo "run $n ($side): $(tail -1 "$log")"
        grep -E "^(FAILED|ERROR) " "$log" | sed 's/^/    /'
    done
done
