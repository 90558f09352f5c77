#!/usr/bin/env bash
# Run the whole test suite again and again in a fresh clone, to find tests that fail by
# chance. Usage: scripts/repeat-suite.sh RUNS [--beside]
#   --beside: each run has a second copy of the suite running beside it (another clone).
# Prints one line per run ("run 3: 516 passed in 175.49s") and every failed test's name;
# the logs stay in the folder it prints. Each clone gets its own venv (an editable install of
# that clone, pinned by constraints.txt), so subprocess tests run the clone's code even while
# the working tree changes.
set -uo pipefail
runs=${1:?how many runs}
beside=${2:-}
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)
work=$(mktemp -d -t qualtui-repeat-XXXX)
prepare() {
    git clone -q "$repo" "$1"
    python3 -m venv "$1/.venv"
    (cd "$1" && PIP_CONSTRAINT=constraints.txt .venv/bin/pip install -q -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true)
}
prepare "$work/a"
[ "$beside" = "--beside" ] && prepare "$work/b"
git -C "$work/a" log --oneline -1
echo "logs in $work"
for n in $(seq 1 "$runs"); do
    if [ "$beside" = "--beside" ]; then
        (cd "$work/b" && .venv/bin/python -m pytest -q -p no:cacheprovider >"$work/b-$n.log" 2>&1) &
        other=$!
    fi
    (cd "$work/a" && .venv/bin/python -m pytest -q -p no:cacheprovider >"$work/a-$n.log" 2>&1)
    [ "$beside" = "--beside" ] && wait "$other"
    for side in a b; do
        log="$work/$side-$n.log"
        [ -f "$log" ] || continue
        echo "run $n ($side): $(tail -1 "$log")"
        grep -E "^(FAILED|ERROR) " "$log" | sed 's/^/    /'
    done
done
