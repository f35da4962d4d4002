# sipbed developer entry points (see README.md). Every target installs missing
# Debian packages first (scripts/install-deps.sh prints nothing when none are).
#
#   make run | test | asan | fuzz | bench | format | clean
#
# Variables: SHARED (the shared/ folder, default ../shared), JOBS (default 2),
# FUZZ_SECONDS (per fuzzer, default 60).

SHELL := /bin/bash
SHARED ?= ../shared
JOBS ?= 2
FUZZ_SECONDS ?= 60

SHARED_ABS := $(abspath $(SHARED))
# Only the first configure of a build dir uses these; later builds reuse its cache.
CMAKE_COMMON := -DSIPBED_SHARED_DIR=$(SHARED_ABS) -DCMAKE_TARGET_MESSAGES=OFF --log-level=NOTICE

# The make that `cmake --build` starts inherits this: no "Entering directory" noise.
MAKEFLAGS += --no-print-directory

.DEFAULT_GOAL := build
.PHONY: help deps build test run install asan fuzz bench format clean

help:
	@echo "make build   install missing packages, configure build/ (Release) once, build"
	@echo "make test    build, then run every test (ctest: unit, sim, pytest)"
	@echo "make run     build, then the demo (a couple of minutes): flow recovery with 1 and 2 flows,"
	@echo "             avalanche restart with draft backoff against immediate retries; results and"
	@echo "             figures under results/demo/, and a summary table"
	@echo "make install build, then install the sipbed program (/usr/local/bin) and the Python package for /usr/bin/python3"
	@echo "make asan    build and test in build-asan/ with AddressSanitizer + UBSan"
	@echo "make fuzz    build the libFuzzer targets in build-fuzz/ (clang), run each FUZZ_SECONDS"
	@echo "make bench   build, then run every Google Benchmark program"
	@echo "make format  clang-format our C++ sources in place"
	@echo "make clean   remove build/, build-asan/ and build-fuzz/"

deps:
	@scripts/install-deps.sh

build: deps
	@if [ ! -f build/CMakeCache.txt ]; then \
	    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release $(CMAKE_COMMON); \
	fi
	@cmake --build build -j$(JOBS)

test: build
	@ctest --test-dir build --output-on-failure -j$(JOBS)

run: build
	@PYTHONPATH=build/python /usr/bin/python3 scripts/demo.py --out results/demo

install: build
	@cmake --install build

asan: deps
	@if [ ! -f build-asan/CMakeCache.txt ]; then \
	    cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSIPBED_SANITIZE=ON $(CMAKE_COMMON); \
	fi
	@cmake --build build-asan -j$(JOBS)
	@UBSAN_OPTIONS=print_stacktrace=1 ctest --test-dir build-asan --output-on-failure -j$(JOBS)

fuzz: deps
	@if [ ! -f build-fuzz/CMakeCache.txt ]; then \
	    CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	        -DSIPBED_FUZZ=ON $(CMAKE_COMMON); \
	fi
	@cmake --build build-fuzz -j$(JOBS) --target sipbed-fuzzers
	@scripts/run-fuzz.sh build-fuzz $(SHARED_ABS) $(FUZZ_SECONDS)

bench: build
	@shopt -s nullglob; benches=(build/bench/sipbed-bench-*); \
	if [ $${#benches[@]} -eq 0 ]; then echo "bench: no benchmarks yet (add bench/NAME.cc)"; fi; \
	for b in "$${benches[@]}"; do echo "== $$b"; "$$b" || exit $$?; done

format:
	@find models sim scenarios bindings tests bench fuzz \( -name '*.h' -o -name '*.cc' \) \
	    -print0 2>/dev/null | xargs -0 -r clang-format -i

clean:
	rm -rf build build-asan build-fuzz
