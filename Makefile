# flyttkarta: plain Makefile. `make run` and `make test` are the two set-up
# commands of the README; both install missing Debian packages first.
#
#   make            build build/flyttkarta (release: -O2)
#   make run        build the demo region and show it
#   make test       unit + integration tests, again under ASan+UBSan, brief fuzzing
#   make fuzz       longer fuzzing (FUZZ_SECONDS per target)
#   make bench      import and snapshot benchmarks
#
# DATA points at the real open data (see README); without it the demo
# generator also makes the geography (a fictional region).

DATA ?= ../shared/data
BUILD ?= build/release
CC ?= gcc
FUZZ_SECONDS ?= 60
FUZZ_BRIEF ?= 5

PKGS := readosm jansson libzip zlib
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm -lpthread

WARN := -Wall -Wextra -Werror -pedantic -Wshadow -Wno-unused-parameter
CFLAGS_COMMON := -std=c11 -D_GNU_SOURCE -g $(WARN) -MMD -MP
ifeq ($(SAN),1)
  OPT := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  LDSAN := -fsanitize=address,undefined
else
  OPT := -O2
  LDSAN :=
endif
CFLAGS_ALL = $(CFLAGS_COMMON) $(OPT) $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(LDSAN) $(LDFLAGS)

LIB_SRC := $(wildcard base/*.c ingest/*.c region/*.c route/*.c)
CLI_SRC := $(wildcard cli/*.c)
TEST_SRC := $(wildcard tests/unit/test_*.c)
FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIB := $(BUILD)/libflyttkarta.a
BIN := $(BUILD)/flyttkarta

.PHONY: all deps run test test-release test-asan fuzz fuzz-brief bench clean demo

all: $(BIN) $(TEST_BIN)

deps:
	@bash scripts/deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(LIB) $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LIB) $(LDFLAGS_ALL) $(PKG_LIBS) -lcmocka -lgeos_c

# The demo region: real geography from DATA when present, else fictional.
DEMO := $(BUILD)/demo.region
demo: $(BIN)
	$(BIN) build --demo --data $(DATA) -o $(DEMO)

run: deps
	@$(MAKE) --no-print-directory $(BIN)
	@$(MAKE) --no-print-directory demo
	$(BIN) info $(DEMO)

test: deps
	@$(MAKE) --no-print-directory test-release
	@$(MAKE) --no-print-directory test-asan
	@$(MAKE) --no-print-directory fuzz-brief
	@bash tests/summary.sh build/results

test-release:
	@$(MAKE) --no-print-directory all
	@bash tests/run.sh $(BUILD) $(DATA) build/results/release

test-asan:
	@$(MAKE) --no-print-directory all SAN=1 BUILD=build/asan
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  bash tests/run.sh build/asan $(DATA) build/results/asan

# libFuzzer targets: our parsing code built with clang and instrumented.
FUZZ_CC := clang
FUZZ_FLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
  -fno-sanitize-recover=undefined $(PKG_CFLAGS)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=build/fuzz/obj/%.o)
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=build/fuzz/%)

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -c $< -o $@

build/fuzz/%: fuzz/%.c $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB_OBJ) $(PKG_LIBS)

fuzz-brief: $(FUZZ_BIN)
	@bash tests/fuzz.sh $(FUZZ_BRIEF) build/results/fuzz $(FUZZ_BIN)

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_BIN)
	@bash tests/fuzz.sh $(FUZZ_SECONDS) build/results/fuzz-long $(FUZZ_BIN)

BENCH_BIN := $(patsubst bench/%.c,$(BUILD)/%,$(wildcard bench/bench_*.c))

$(BUILD)/bench_%: bench/bench_%.c $(LIB)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LIB) $(LDFLAGS_ALL) $(PKG_LIBS)

bench: deps
	@$(MAKE) --no-print-directory $(BIN) $(BENCH_BIN)
	@bash bench/run.sh $(BIN) $(DATA) $(BUILD)

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(FUZZ_LIB_OBJ:.o=.d)
