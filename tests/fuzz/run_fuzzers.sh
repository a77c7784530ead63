#!/usr/bin/env bash
# Builds the libFuzzer targets with clang++-14 in the build directory given as
# the first argument and runs each one for a short smoke over its seed corpus
# (tests/fuzz/corpus/<target>). Fails on the first crash, sanitizer report,
# oracle abort, leak, timeout or out-of-memory. New inputs libFuzzer finds go
# to a scratch corpus in the build directory, never into the repository.
#
#   tests/fuzz/run_fuzzers.sh BUILD_DIR [SECONDS_PER_TARGET]   (default 20)
#
# Environment: JOBS (default: number of cores) for the build.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${1:?usage: run_fuzzers.sh BUILD_DIR [SECONDS_PER_TARGET]}
seconds=${2:-20}
JOBS=${JOBS:-$(nproc)}
targets=(smtpsession mailaddress headerrewriter usercsvcodec)

cmake -S "$here" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$JOBS"

for t in "${targets[@]}"; do
    work="$build/corpus-$t"
    mkdir -p "$work" "$build/artifacts"
    echo "fuzz: $t for ${seconds}s" >&2
    # -rss_limit_mb: the targets hold at most a few KiB per input; 2 GiB
    # catches runaway growth without tripping over ASan's shadow memory.
    if ! "$build/fuzz_$t" "$work" "$here/corpus/$t" \
            -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=8192 \
            -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
            >"$build/$t.log" 2>&1; then
        tail -n 60 "$build/$t.log" >&2
        echo "fuzz: $t FAILED; reproducer in $build/artifacts/" >&2
        exit 1
    fi
    grep -E '^stat::number_of_executed_units' "$build/$t.log" | sed "s/^/fuzz: $t /" >&2 || true
done
echo "fuzz: all ${#targets[@]} targets clean" >&2
