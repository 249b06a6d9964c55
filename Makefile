# The two commands of README.md, and the steps they are made of.
#   make run    install what is missing, build, start the server on a demo database
#   make test   install what is missing, build (plain and sanitized), run every test
#   make bench  measure reads, durable writes and reads under a held lock against their goals, then the progress reads over a generated programme on SQLite and PostgreSQL
#   make check  clang-tidy, cppcheck and the unit tests under valgrind, each finding nothing
#   make faults kill the server 200 times during writes and check nothing answered is lost
#   make fuzz   run every fuzz target for FUZZ_SECONDS (default 60) each, from its kept corpus
#   make test-postgres-api  the whole API suite with every server on a throwaway PostgreSQL server

DB ?= npq.db
LISTEN ?= 127.0.0.1:8080
NODE_TEST = node --test --test-concurrency=1
# Sanitized runs stop at the first error; h2o's per-loop memory, kept until exit, is not a leak.
SANITIZE_ENV = ASAN_OPTIONS=abort_on_error=0:exitcode=86 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp

.PHONY: all deps build build-asan run test test-postgres test-postgres-api test-postgres-api-store test-unit test-api test-browser bench check faults soak fuzz format clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@test -f build/build.ninja || meson setup build >/dev/null
	@ninja -C build

build-asan: deps
	@test -f build-asan/build.ninja || meson setup build-asan --buildtype=debug \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null
	@ninja -C build-asan

run: build
	@scripts/run-demo.sh "$(DB)" "$(LISTEN)"

test: build build-asan
	@scripts/check-source.sh
	meson test -C build --print-errorlogs
	$(SANITIZE_ENV) meson test -C build-asan --print-errorlogs
	rm -f build/api-answers.jsonl
	NPQ_RECORD_RESPONSES=build/api-answers.jsonl NPQ_BIN=build/npq $(NODE_TEST) tests/api/
	NPQ_RECORD_RESPONSES=build/api-answers.jsonl NPQ_BIN=build/npq $(NODE_TEST) tests/conformance/
	$(SANITIZE_ENV) NPQ_BIN=build-asan/npq $(NODE_TEST) tests/api/
	NPQ_BIN=build/npq $(NODE_TEST) tests/browser/
	KILLS=30 NPQ_BIN=build/npq $(NODE_TEST) tests/faults/
	SOAK_SECONDS=10 NPQ_BIN=build/npq node bench/soak.js
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-postgres-api-store

# The store's contract tests against a throwaway PostgreSQL server (scripts/with-postgres.sh).
STORE_CONTRACT_TESTS = store_accounts store_assessment store_audit store_awards store_calendar store_catalogue \
	store_coaching store_delivery store_enrolment store_imports store_mail store_race app_race app_use_case_rules app_forum
test-postgres: build
	scripts/with-postgres.sh meson test -C build --print-errorlogs --timeout-multiplier 4 --num-processes 1 $(STORE_CONTRACT_TESTS)

# The API suite with every server on a new database of a throwaway PostgreSQL server; the files
# that only a SQLite file can serve (online backups of the file) are SQLite's alone.
POSTGRES_API_TESTS = $(filter-out tests/api/backup.test.js,$(wildcard tests/api/*.test.js))
test-postgres-api: build
	scripts/with-postgres.sh sh -c 'NPQ_TEST_POSTGRES=postgresql://npq@127.0.0.1:$$NPQ_PG_PORT NPQ_BIN=build/npq \
		$(NODE_TEST) $(POSTGRES_API_TESTS)'

# The whole suite on PostgreSQL took 6 to 12 minutes on the shared 2-core machine, too much on top
# of the rest of make test, so make test runs the files that reach the store most widely (286
# tests, 4 min 36 s there under a load of 25): every route as every role (authz_matrix), a programme from application to award
# (journey), several servers on one database (instances), the background mail and notifications,
# and events, whose places writers compete for; and the progress model, whose lists and cohort
# figures are the widest queries the store makes, and their CSV downloads; and moving a provider
# from SQLite (db_copy); and search, whose query and snippets differ by engine (FTS5, tsvector).
# The store's own rules run whole in test-postgres.
POSTGRES_API_STORE_TESTS = $(addprefix tests/api/,authz_matrix.test.js journey.test.js instances.test.js \
	notifications.test.js events.test.js progress.test.js progress_lists.test.js progress_updates.test.js \
	progress_exports.test.js db_copy.test.js search.test.js)
test-postgres-api-store: build
	$(MAKE) --no-print-directory test-postgres-api POSTGRES_API_TESTS="$(POSTGRES_API_STORE_TESTS)"

bench: build
	@bench/run.sh
	@bench/progress.sh

check: build
	@scripts/check.sh

faults: build
	KILLS=200 NPQ_BIN=build/npq $(NODE_TEST) tests/faults/

# A mixed load at 256 connections for SOAK_SECONDS (default 60): zero errors, figures printed.
soak: build
	NPQ_BIN=build/npq node bench/soak.js

fuzz: deps
	@scripts/fuzz.sh

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-asan build-fuzz
