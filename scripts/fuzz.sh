#!/usr/bin/env bash
# make fuzz: builds every target of tests/fuzz with clang and libFuzzer (ASan and UBSan on) and
# runs each for FUZZ_SECONDS (default 60) from its kept corpus. New inputs go to a working corpus
# in build-fuzz/; an input that crashes a target is written into the kept corpus, so the unit tests
# replay it from then on (and fail until the bug is fixed). FUZZ_TARGETS picks some targets.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
dir=build-fuzz
if [[ ! -f $dir/build.ninja ]]; then
  CC=clang meson setup "$dir" --buildtype=debugoptimized -Dfuzz=true \
    -Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link >/dev/null
fi
# every tests/fuzz/*.c but the replayer is a target (meson.build lists the same names)
targets=${FUZZ_TARGETS:-$(for f in tests/fuzz/*.c; do f=${f##*/}; [[ $f == replay.c ]] || echo "${f%.c}"; done)}
ninja -C "$dir" $(for t in $targets; do echo "fuzz_$t"; done) >"$dir/build.log" || { cat "$dir/build.log"; exit 1; }
export ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
failed=0
printf '%-10s %12s %10s %s\n' target runs seconds result
for t in $targets; do
  work=$dir/corpus/$t
  mkdir -p "$work"
  log=$dir/fuzz-$t.log
  if "$dir/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="tests/fuzz/corpus/$t/" "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
    result=ok
  else
    result="FOUND (see $log; the input is in tests/fuzz/corpus/$t/)"
    failed=1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  printf '%-10s %12s %10s %s\n' "$t" "${runs:-?}" "$seconds" "$result"
done
exit $failed
