# findash — developer entry points (GNU make).
#
#   make run        build, start PostgreSQL + memcached, migrate, seed, serve on :8000
#   make test       build, start private services, swift test + live tests (CI runs this)
#   make test-live  the live tests only (PYTEST_ARGS='-k pipelin' to pick some)
#   make build      debug build          make release   release build
#   make lint       swift-format lint + shellcheck
#   make clean      stop (and delete) every service this checkout started; remove .build, .local
#   make deps       install missing Debian packages / pytest
#   make bench      benchmark vs nginx and the SQL floor (~10 min); writes docs/performance.md
#   make fuzz       libFuzzer targets in Fuzz/ (HTTP parser, JWT, query), FUZZ_SECONDS=300 each
#   make fuzz-smoke the same for 60 s each, regressions replayed first (CI)
#   make test-sanitize  swift test + live tests under ThreadSanitizer and AddressSanitizer
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Swift is installed at /opt/swift; make sure it is found even when not on PATH.
ifneq ($(wildcard /opt/swift/usr/bin/swift),)
export PATH := /opt/swift/usr/bin:$(PATH)
endif

SHELL_SCRIPTS = $(wildcard scripts/*.sh ci/*.sh) .ci/run

.PHONY: help run test test-live build release lint clean deps bench fuzz fuzz-smoke test-sanitize

help:
	@sed -n '3,/^[^#]/{/^#/p}' Makefile | sed 's/^# \{0,1\}//'

deps:
	@scripts/deps.sh

run:
	@scripts/run.sh

test:
	@scripts/test.sh

bench:
	@bench/run.sh

test-live:
	@SWIFT_TEST=0 EXTRA_TESTS=0 scripts/test.sh

build: deps
	swift build

release: deps
	swift build -c release

# Style findings are reported, not fatal yet (no --strict); parse errors are.
lint: deps
	ci/lint.sh

clean:
	@shopt -s nullglob; \
	for dir in .local/*/; do \
	    [[ -e "$$dir/.lock" ]] && scripts/services.sh destroy "$$dir" || true; \
	done
	@shopt -s nullglob; for dir in .local/deploy/*/; do \
	    [[ -f "$$dir/.findash-deploy" ]] && DEPLOY_STATE_DIR="$$dir" ci/deploy.sh "$$(basename "$$dir")" --stop || true; \
	done
	rm -rf .build .build-tsan .build-asan .local

fuzz: deps
	@scripts/fuzz.sh run

fuzz-smoke: deps
	@scripts/fuzz.sh smoke

test-sanitize:
	@scripts/test-sanitize.sh
