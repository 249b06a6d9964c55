#!/usr/bin/env bash
# make check: the analysers a compiler does not run. clang-tidy (the static analyzer and the
# bugprone checks) and cppcheck over every source file, then the unit tests under valgrind's
# memcheck. Each must find nothing; the sanitizer build runs in make test.
set -euo pipefail
cd "$(dirname "$0")/.."
sources=$(git ls-files 'src/*.c')
status=0

echo "check: clang-tidy"
# The build is made with gcc, whose warning options clang does not all know.
if ! clang-tidy -p build --quiet --warnings-as-errors='*' --extra-arg=-Wno-unknown-warning-option \
    --checks='-*,clang-analyzer-*,bugprone-*,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-bugprone-narrowing-conversions,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling' \
    $sources 2>/dev/null; then
  status=1
fi

echo "check: cppcheck"
# cppcheck does not read C11's _Noreturn, so it would take die() for a function that returns.
if ! cppcheck --enable=warning,performance,portability --std=c11 --quiet --error-exitcode=1 -I src \
    --suppress=missingIncludeSystem '-D_Noreturn=__attribute__((noreturn))' src; then
  status=1
fi

echo "check: unit tests under valgrind"
# The race tests race for the write lock within SQLite's busy timeout, which valgrind's slowness
# outlasts; they run under the sanitizers in make test instead.
if ! meson test -C build --print-errorlogs --timeout-multiplier=20 --no-suite race \
    --wrap='valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --track-origins=yes'; then
  status=1
fi
exit $status
