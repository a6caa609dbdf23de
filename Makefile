# Makefile — build, test, demo, benchmark and install mrb-analyze.
#
#   make            build build/mrb-analyze
#   make demo       install missing packages, build, ingest samples/, write
#                   reports/demo/report.md, compare two nights (verdicts) and
#                   write reports/demo-compare/report.md
#   make check      install missing packages, build, run every test (with
#                   ISA-L's inflate where installed, then with zlib), a short
#                   libFuzzer run, then every test again under
#                   ThreadSanitizer, and last under AddressSanitizer +
#                   UndefinedBehaviorSanitizer
#   make fuzz       libFuzzer (clang) over every parser family, seeded from
#                   samples/: FUZZ_SECONDS per harness (default 300), one core
#   make bench      generate ~1 GB of logs under bench/data and time ingest,
#                   export and merge
#                   (INFLATE=zlib: without ISA-L, into build/zlib)
#   make install    PREFIX=/usr/local DESTDIR= : the binary (it carries its
#                   queries), the man page, the SQLite extension mrb_stats.so
#                   and the queries' source as examples for --queries
#   make clean

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS    := jansson sqlite3 zlib
DEB_PKGS := build-essential pkg-config libjansson-dev libsqlite3-dev zlib1g-dev \
            libcmocka-dev gnuplot-nox sqlite3 time libisal-dev
# what `make check` needs beyond: clang and its libFuzzer for the fuzz smoke run,
# and ClickHouse for the engine test (tests/cases/92-engines.t); Node.js and
# npm (when none is installed) for the Trino/Hive grammars of tools/sqlcheck
DEB_PKGS_CHECK := clang libclang-rt-14-dev clickhouse-server clickhouse-client \
                  $(if $(shell command -v npm 2>/dev/null),,nodejs npm)
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

WARN    := -Wall -Wextra -Werror -Wpedantic -Wshadow -Wstrict-prototypes -Wformat=2 \
           -Wno-format-nonliteral
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -pthread -D_GNU_SOURCE $(WARN) $(CFLAGS) \
             -Iinclude -DMRB_VERSION='"$(VERSION)"' $(PKG_CFLAGS) -MMD -MP
# INFLATE=auto (default): ISA-L's igzip when libisal is installed, else
# zlib; INFLATE=zlib: zlib alone (the portable baseline). Objects of either
# go to their own folder, so that switching rebuilds.
INFLATE ?= auto
ifeq ($(INFLATE),zlib)
ISAL :=
else
ISAL := $(shell pkg-config --exists libisal 2>/dev/null && echo libisal)
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) $(ISAL) 2>/dev/null) $(if $(ISAL),-DMRB_ISAL)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) $(ISAL) 2>/dev/null) -lm -pthread
CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   = $(shell pkg-config --libs cmocka 2>/dev/null)

# B is the build folder: build/ normally, build/asan/ for the sanitizer pass.
B        ?= $(if $(filter zlib,$(INFLATE)),build/zlib,build)
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
             -fno-omit-frame-pointer

SRC      := $(wildcard src/*.c)
LIB_SRC  := $(filter-out src/main.c src/stats_ext.c,$(SRC))
LIB_OBJ  := $(patsubst src/%.c,$(B)/obj/%.o,$(LIB_SRC)) $(B)/obj/gen/queries_builtin.o
QUERIES  := $(sort $(wildcard queries/*.sql))
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
GEN_BIN  := $(B)/mrb-gen
# Fuzz harnesses (tests/fuzz): replay builds run in `make test`; `make fuzz`
# builds them with libFuzzer.
FUZZ_NAMES  := lines shapes subscription emf ddb rows jload
FUZZ_REPLAY := $(patsubst %,$(B)/fuzz/fuzz_%,$(FUZZ_NAMES))
FUZZ_SECONDS ?= 300
FUZZ_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer

.PHONY: all deps deps-check demo check test asan tsan bench install clean unit-tests fuzz fuzz-smoke
all: $(B)/mrb-analyze $(GEN_BIN) $(B)/mrb_stats.so

$(B)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# The queries the binary carries: queries/*.sql as a generated C file, made
# again when a .sql file changes or one is added or removed (the folder's
# time changes then).
$(B)/embed-queries: tools/embed_queries.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $< -o $@

$(B)/gen/queries_builtin.c: $(B)/embed-queries $(QUERIES) queries
	@mkdir -p $(dir $@)
	$(B)/embed-queries $@.tmp $(QUERIES) && mv $@.tmp $@

$(B)/obj/gen/queries_builtin.o: $(B)/gen/queries_builtin.c src/queries_builtin.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -c $< -o $@

$(B)/libmrb.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(B)/mrb-analyze: $(B)/obj/main.o $(B)/libmrb.a
	$(CC) $(CFLAGS) $^ $(PKG_LIBS) -o $@

# The per-record micro-benchmark (bench/micro.c), against the library.
$(B)/mrb-micro: bench/micro.c $(B)/libmrb.a
	$(CC) $(ALL_CFLAGS) $< $(B)/libmrb.a $(PKG_LIBS) -o $@

# The SQLite floor of an ingest (bench/floor.c): its rows stored again by
# SQLite alone.
$(B)/mrb-floor: bench/floor.c $(B)/libmrb.a
	$(CC) $(ALL_CFLAGS) $< $(B)/libmrb.a $(PKG_LIBS) -o $@

# The generator: its own files under bench/gen/, linked with the project's
# string builder and allocation helpers only, never its parsers.
GEN_SRC  := $(wildcard bench/gen/*.c)
GEN_OBJ  := $(patsubst bench/gen/%.c,$(B)/obj/mrb-gen/%.o,$(GEN_SRC)) $(B)/obj/sb.o $(B)/obj/xalloc.o

$(B)/obj/mrb-gen/%.o: bench/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ibench/gen -c $< -o $@

$(GEN_BIN): $(GEN_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $^ $(PKG_LIBS) -o $@

# The SQLite extension for plain sqlite3 (`.load mrb_stats`): stats.c built
# against sqlite3ext.h; only its entry point is exported.
$(B)/mrb_stats.so: src/stats_ext.c src/stats.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -shared $< -lm -o $@

$(B)/tests/%: tests/unit/%.c $(B)/libmrb.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) $< $(B)/libmrb.a $(CMOCKA_LIBS) $(PKG_LIBS) -o $@

unit-tests: $(UNIT_BIN)

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.c tests/fuzz/replay.c $(B)/libmrb.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz $< tests/fuzz/fuzz_common.c tests/fuzz/replay.c \
	  $(B)/libmrb.a $(PKG_LIBS) -o $@

# libFuzzer: the library built by clang with coverage into build/libfuzzer,
# then each harness run for FUZZ_SECONDS on one core (tests/fuzz/run.sh).
fuzz:
	$(MAKE) --no-print-directory B=build/libfuzzer CC=clang \
	  CFLAGS="$(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link" build/libfuzzer/libmrb.a
	tests/fuzz/run.sh build/libfuzzer $(FUZZ_SECONDS) $(FUZZ_NAMES)

# A few seconds of each harness when clang has libFuzzer; the seed corpus is
# replayed by `make test` in any case (tests/cases/95-fuzz-replay.t).
fuzz-smoke:
	@if echo 'int LLVMFuzzerTestOneInput(const char*d,long n){(void)d;(void)n;return 0;}' | \
	    clang -x c -fsanitize=fuzzer - -o /dev/null 2>/dev/null; then \
	  $(MAKE) --no-print-directory fuzz FUZZ_SECONDS=4; \
	else echo "fuzz-smoke: skipped (no clang with libFuzzer); the seed replay ran in make test"; fi

# Installs what is missing on Debian (as root); elsewhere says what to install.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing packages:$$missing (install them, or run as root on Debian)"; exit 1; fi; \
	fi

deps-check:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(DEB_PKGS) $(DEB_PKGS_CHECK)"
	@# Trino's and Hive's grammars for tests/cases/92-engines.t (tools/sqlcheck)
	@[ -d tools/sqlcheck/node_modules/dt-sql-parser ] || \
	  (cd tools/sqlcheck && npm install --no-audit --no-fund --silent) || \
	  echo "tools/sqlcheck: npm install failed: the Trino syntax checks will be skipped"

# The whole suite under prove: unit binaries (cmocka, TAP) and shell cases.
test: all unit-tests $(FUZZ_REPLAY)
	MRB_BUILD=$(B) CMOCKA_MESSAGE_OUTPUT=TAP LC_ALL=C TZ=UTC \
	  prove --exec '' $(sort $(UNIT_BIN)) $(sort $(wildcard tests/cases/*.t))

asan:
	$(MAKE) --no-print-directory B=build/asan CFLAGS="$(SAN_FLAGS)" test

# The two worker threads (prefetch, writer) under ThreadSanitizer.
tsan:
	TSAN_OPTIONS=halt_on_error=1 \
	  $(MAKE) --no-print-directory B=build/tsan CFLAGS="-O1 -g -fsanitize=thread" test

# The suite runs with the default inflater (ISA-L where installed) and with
# zlib, the portable baseline; the libFuzzer smoke run comes before the
# sanitizer passes, so that the run ends with prove's summary.
check: deps-check
	$(MAKE) --no-print-directory test
	$(MAKE) --no-print-directory INFLATE=zlib test
	$(MAKE) --no-print-directory fuzz-smoke
	$(MAKE) --no-print-directory tsan
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  $(MAKE) --no-print-directory asan

demo: deps all
	mkdir -p reports && rm -f reports/demo.db
	./$(B)/mrb-analyze --db reports/demo.db ingest samples/; rc=$$?; \
	  [ $$rc -le 1 ] || exit $$rc
	./$(B)/mrb-analyze --db reports/demo.db query runtimes
	./$(B)/mrb-analyze --db reports/demo.db report --day 2026-11-25 \
	  --title "Demo: samples/, the night of 2026-11-25 in every shape" --out reports/demo
	./$(B)/mrb-analyze --db reports/demo.db compare 2026-11-23 2026-11-24
	./$(B)/mrb-analyze --db reports/demo.db report --day 2026-11-24 --baseline 2026-11-23 \
	  --trend 3 --title "Demo: the night of 2026-11-24 against 2026-11-23" --out reports/demo-compare

bench: deps all
	bench/run.sh $(B)

install: $(B)/mrb-analyze $(B)/mrb_stats.so
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(B)/mrb-analyze $(DESTDIR)$(PREFIX)/bin/mrb-analyze
	install -d $(DESTDIR)$(PREFIX)/lib/mrb-analyze
	install -m 755 $(B)/mrb_stats.so $(DESTDIR)$(PREFIX)/lib/mrb-analyze/mrb_stats.so
	install -m 644 docs/mrb-analyze.1 $(DESTDIR)$(PREFIX)/share/man/man1/mrb-analyze.1
	install -d $(DESTDIR)$(PREFIX)/share/doc/mrb-analyze/queries
	install -m 644 $(QUERIES) $(DESTDIR)$(PREFIX)/share/doc/mrb-analyze/queries/

clean:
	rm -rf build

# (mrb-gen.d: left by the single-file generator's rule, which named bench/mrb-gen.c)
-include $(filter-out $(B)/mrb-gen.d,$(shell find $(B) -name '*.d' 2>/dev/null))
