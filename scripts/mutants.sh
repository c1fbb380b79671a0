#!/usr/bin/env bash
# Mutation testing of the truthfulness core (issue 16): cargo-mutants changes the code that
# decides and words a non-full answer (a `>=` becomes `>`, a function returns a default, a
# match arm or a `!` disappears) and checks that some test then fails. A mutant no test
# catches is a lie the suite would let through.
#
# Two bounded runs, each with only the tests that cover its files (--cargo-arg applies to
# the build as well as the test step, so no other test binary is rebuilt per mutant):
#   core   src/tools/provenance.rs, src/api/refusal.rs, src/api/failure.rs
#          with the library's unit tests (`--lib`), where their tests live;
#   policy src/tools/policy.rs (the fallback chain) with the unit tests and the in-process
#          integration tests against the stand-in API: truthfulness, tools_in_process,
#          budget, api_client, text_block. tests/api_matrix.rs is left out: under heavy load
#          its free-endpoint cell sometimes falls back to local within its deadline, and a
#          flaky test would count mutants as caught that no test reliably catches;
#   guards src/tools/cache.rs (the session cache), the cross-check in src/tools/iban_answer.rs
#          and the free format endpoint and body cap in src/api/mod.rs (issue 22), with the
#          unit tests and budget, truthfulness, api_client and blind_spots (refused answers
#          never cached, a broken free endpoint, every cross-check outcome).
#
# cargo-mutants never edits this checkout: each run works in its own scratch copy of the
# tracked files under target/mutants-scratch/, with target/ copied beside it (mtimes kept,
# so the dependencies are not rebuilt; cargo-mutants' own --copy-target loses mtimes and
# rebuilds all ~300 crates). Results land in mutants.out-core/ and mutants.out-policy/
# (caught.txt, missed.txt, timeout.txt, unviable.txt, outcomes.json).
#
# How long: on the shared, busy 2-core machine this was written on (load 8-10), the core run
# (90 mutants) took 22 min and the policy run (117 mutants) about 45 min, with two or three
# such runs side by side. Too long for scripts/test.sh; run it when the truthfulness core
# changes.
#
# Needs cargo-mutants: `cargo install cargo-mutants --locked` (tested with 27.1.0), and a
# built target/ (`cargo test --no-run` first) to avoid building the dependencies twice.
# Usage: scripts/mutants.sh [core|policy|guards]...   (default: core, then policy)
#        MUTANTS_ARGS="--list" scripts/mutants.sh core   (extra cargo-mutants arguments)
# The scratch copies take about twice the size of target/debug; delete
# target/mutants-scratch/ when done.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

command -v cargo-mutants >/dev/null || {
    echo "cargo-mutants is not installed: run \`cargo install cargo-mutants --locked\`" >&2
    exit 1
}

# A mutant's tests take seconds; one that loops is a timeout, not a hang.
common=(--in-place --timeout 180 --build-timeout 900)

run() {
    local name=$1
    shift
    local scratch=$root/target/mutants-scratch/$name
    rm -rf "$scratch" "$root/mutants.out-$name"
    mkdir -p "$scratch/target"
    git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$scratch"
    if [ -d target/debug ]; then
        (cd target && tar --exclude=./debug/incremental --exclude=./mutants-scratch -cf - debug) |
            tar -xf - -C "$scratch/target"
    fi
    local status=0
    # shellcheck disable=SC2086 # MUTANTS_ARGS is a list of words on purpose.
    (cd "$scratch" && cargo mutants "${common[@]}" -o "$root/mutants.out-$name" "$@" ${MUTANTS_ARGS-}) ||
        status=$?
    # cargo-mutants exits 2 when mutants were missed, 3 on timeouts, 4 if the unmutated
    # tree fails its tests.
    local out=$root/mutants.out-$name/mutants.out
    [ -d "$out" ] || return "$status"
    for kind in caught missed timeout unviable; do
        printf '%s %-8s %s\n' "$name" "$kind" "$(wc -l <"$out/$kind.txt")"
    done
    sed "s/^/$name missed: /" "$out/missed.txt"
    return "$status"
}

runs=("$@")
[ ${#runs[@]} -gt 0 ] || runs=(core policy)
status=0
for name in "${runs[@]}"; do
    case $name in
    core)
        run core -f src/tools/provenance.rs -f src/api/refusal.rs -f src/api/failure.rs \
            --cargo-arg=--lib || status=$?
        ;;
    policy)
        run policy -f src/tools/policy.rs --cargo-arg=--lib \
            --cargo-arg=--test=truthfulness --cargo-arg=--test=tools_in_process \
            --cargo-arg=--test=budget --cargo-arg=--test=api_client \
            --cargo-arg=--test=text_block || status=$?
        ;;
    guards)
        run guards -f src/tools/cache.rs -f src/tools/iban_answer.rs -f src/api/mod.rs \
            --re 'SessionCache|AskingGuard|cross_check|free_format|read_capped' \
            --cargo-arg=--lib --cargo-arg=--test=budget --cargo-arg=--test=truthfulness \
            --cargo-arg=--test=api_client --cargo-arg=--test=blind_spots || status=$?
        ;;
    *)
        echo "unknown run \`$name\`: use core, policy or guards" >&2
        exit 2
        ;;
    esac
done
exit "$status"
