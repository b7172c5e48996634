# bedrock-edge: `make build` writes the npm package to pkg/, `make test` runs every test layer,
# `make demo` streams the seed example through a Worker in workerd. Each installs what is missing.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := build
.DELETE_ON_ERROR:

NODE_BIN := tests/node_modules/.bin
NIGHTLY ?= nightly
WORK := tests/.work
LAYER := tests/harness/layer.sh
WITH_EMULATOR := tests/harness/with-emulator.sh
# wasm-bindgen-cli must match the wasm-bindgen the crate links (pinned with = in Cargo.toml).
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/"/, "", $$3); print $$3 }' Cargo.lock)
# The wasm features rustc enables by default for wasm32-unknown-unknown; wasm-opt must accept them.
WASM_FEATURES := --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-reference-types --enable-multivalue --enable-mutable-globals
# js/random.js too: wasm-bindgen copies it into its output as the snippet the glue imports.
RUST_SOURCES := Cargo.toml Cargo.lock Makefile $(shell find src -type f) js/random.js
TEMPLATE := $(wildcard pkg-template/*)
JS_SOURCES := $(wildcard js/*.js)
NODE_TEST := node --test --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=$(CURDIR)/tests/js/summary-reporter.mjs --test-reporter-destination=stdout

.PHONY: setup build test demo bench clean \
  test-rust test-wasm-chromium test-emulator test-testing-export test-js-unit test-types test-js-node test-js-workerd \
  test-load-workerd test-readme-worker test-example-worker test-js-chromium test-chat-page test-smoke test-size

## setup: install the toolchain pieces that are missing, skip the ones already present
# (SKIP_SETUP=1 is how `make test` tells its sub-make that setup already ran.)
setup:
ifndef SKIP_SETUP
	@echo "==== setup ===="
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@rustup toolchain list | grep -q '^$(NIGHTLY)' || rustup toolchain install $(NIGHTLY) --profile minimal
	@rustup component list --toolchain $(NIGHTLY) --installed | grep -qx 'rust-src' \
	  || rustup component add rust-src --toolchain $(NIGHTLY)
	@command -v wasm-pack >/dev/null || cargo install wasm-pack
	@[ "$$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $(WASM_BINDGEN_VERSION)" ] \
	  || cargo install --force wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] \
	  || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; }
	@# `npm install`, not `npm ci`: the lock file omits workerd's darwin/windows binaries (not on
	@# the registry this machine reaches), which npm ci rejects as out of sync; install keeps the lock.
	@[ tests/node_modules/.package-lock.json -nt tests/package-lock.json ] \
	  || { cd tests && npm install --no-audit --no-fund; }
	@# The emulator (emulator/, shipped as bedrock-edge/testing) has its own dependencies.
	@[ emulator/node_modules/.package-lock.json -nt emulator/package-lock.json ] \
	  || { cd emulator && npm install --no-audit --no-fund; }
	@echo "wasm32 target, $$(rustc +$(NIGHTLY) --version) with rust-src, $$(wasm-pack --version), $$(wasm-bindgen --version), $$(chromium --version 2>/dev/null), node $$(node --version): ready"
endif

## build: the npm package in pkg/ (cargo, wasm-bindgen --target web, wasm-opt -Oz, js/ bundled by esbuild, pkg-template/ as it is)
build: pkg/.built

# The release wasm is built by nightly cargo with -Zbuild-std: std is compiled for our profile,
# with the immediate-abort panic strategy (no panic-message machinery, which panic=abort still
# links) and std's optimize_for_size feature. Measured, wasm gzip -9: 182.2 KiB on stable,
# 155.1 with immediate-abort, 149.5 with optimize_for_size too. -Zfmt-debug=none compiles every
# Debug impl to nothing (messages quote with crate::quoted::Quoted, never {:?}) and
# -Zlocation-detail=none drops file/line data: 198.5 -> 195.2 KiB wasm gzip at issue 12.
# Tests, clippy and wasm-pack test use stable.
# NIGHTLY is the toolchain the machine has; pass NIGHTLY=nightly-YYYY-MM-DD to pin another.
WASM_RELEASE_DIR := target/wasm-release
WASM_RUSTFLAGS := -Zunstable-options -Cpanic=immediate-abort \
  -Zfmt-debug=none -Zlocation-detail=none

# wasm-opt: --converge repeats -Oz until it stops shrinking (-0.5 KiB gzip); --low-memory-unused
# lets it fold constant offsets into loads and stores (-1.4 KiB gzip), which is exact for Rust's
# layout: the stack comes first and grows down towards 0, so no pointer arithmetic wraps into the
# low 1 KiB (only a stack overflow reaches it, and that traps either way).
# --strip-target-features drops the section that told wasm-bindgen which features the code uses
# (132 B; engines ignore it).
# --ignore-implicit-traps lets it drop or move loads whose results go unused (-0.16 KiB gzip):
# safe Rust never loads out of bounds, divisions are checked by rustc (explicit traps, which
# stay), and float-to-int conversions saturate (nontrapping-float-to-int).
# --flatten --rereloop, twice between the -Oz runs, rebuilds each function's control flow from
# scratch, which -Oz then shrinks further (-791 B gzip -9 at 157,800 B; once: -635 B). The
# second -Oz before --converge finds what one pass per round leaves (-168 B at 156,883 B;
# --converge alone stops at the first round that does not shrink).
WASM_RERELOOP := --flatten --rereloop -Oz --flatten --rereloop
# The optimised wasm-bindgen output, staged so that a change to pkg-template/ alone does not
# rebuild the wasm.
WASM_OUT := target/wasm-pack-out
$(WASM_OUT)/.built: $(RUST_SOURCES) | setup
	@echo "==== build: wasm ===="
	rm -rf $(WASM_OUT)
	RUSTFLAGS='$(WASM_RUSTFLAGS)' cargo +$(NIGHTLY) build --release --lib --target wasm32-unknown-unknown \
	  -Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size --target-dir $(WASM_RELEASE_DIR)
	wasm-bindgen --target web --out-dir $(WASM_OUT) --out-name bedrock_edge \
	  $(WASM_RELEASE_DIR)/wasm32-unknown-unknown/release/bedrock_edge.wasm
	$(NODE_BIN)/wasm-opt -Oz --low-memory-unused --ignore-implicit-traps $(WASM_RERELOOP) -Oz -Oz --converge $(WASM_FEATURES) \
	  --strip-debug --strip-producers --strip-target-features \
	  $(WASM_OUT)/bedrock_edge_bg.wasm -o $(WASM_OUT)/bedrock_edge_bg.wasm
	touch $@

# pkg/ = the wasm, the JS of js/ bundled by esbuild, and pkg-template/ as it is (langchain.js,
# package.json, types, TESTING.md; not wasm-pack's package.json, README, .gitignore or typings).
# pkg/core.js is js/core.js bundled with the modules it imports and the wasm-bindgen glue (staged
# beside them in $(JS_STAGE), as they import "./bedrock_edge.js"); the runtime entries (node.js,
# workerd.js, browser.js) are bundled with ./core.js kept external, which writes public-api.js's
# export list into each. So Node loads two modules for `bedrock-edge`, not twelve (`make bench
# CASES=cold-start`, import split: 14.5 -> 10.2 ms and 18.4 -> 12.9 ms in two runs against the
# twelve), and every entry and langchain.js share core.js: one glue, one BedrockError.
# Names and layout are kept (users' bundlers minify), so that the installed package stays
# readable; --minify-syntax inlines the constants of partial-json.js and event-loop.js while they
# are still modules of their own: a bundle makes them `var`s, which a user's minifier no longer
# inlines (all-classes bundle, esbuild --minify: +23 B gzip -9 without it, -24 B with it).
# pkg/testing.js (`bedrock-edge/testing`) is the emulator's fetch handler bundled with its SDK
# dependencies (platform browser: the @smithy/@aws-crypto browser builds, no node: imports; plain
# ESM that Workers, Node, Bun and Deno load too). Not part of the runtime size budget.
EMULATOR_SOURCES := $(wildcard emulator/*.mjs emulator/scenarios/*.mjs)
JS_STAGE := target/js-bundle
pkg/.built: $(WASM_OUT)/.built $(TEMPLATE) $(JS_SOURCES) $(wildcard README.md) $(EMULATOR_SOURCES)
	rm -rf pkg $(JS_STAGE) && mkdir pkg $(JS_STAGE)
	cp $(WASM_OUT)/bedrock_edge_bg.wasm pkg-template/* pkg/
	cp -r $(JS_SOURCES) $(WASM_OUT)/bedrock_edge.js $(WASM_OUT)/snippets $(JS_STAGE)/
	cd $(JS_STAGE) && $(CURDIR)/$(NODE_BIN)/esbuild core.js --bundle --format=esm --minify-syntax --log-level=warning \
	  --banner:js='// bedrock-edge internal module: js/ of the repository and the wasm-bindgen glue, bundled by esbuild.' \
	  --outfile=$(CURDIR)/pkg/core.js
	cd $(JS_STAGE) && $(CURDIR)/$(NODE_BIN)/esbuild node.js workerd.js browser.js --bundle --format=esm \
	  --external:./core.js --external:./bedrock_edge_bg.wasm --log-level=warning --outdir=$(CURDIR)/pkg
	[ ! -f README.md ] || cp README.md pkg/
	$(NODE_BIN)/esbuild emulator/fetch-handler.mjs --bundle --platform=browser --format=esm \
	  --log-level=warning --outfile=pkg/testing.js
	touch $@

# The package installed from its `npm pack` tarball into a scratch consumer project, as a user would.
$(WORK)/consumer/.installed: pkg/.built tests/js/install-package.sh $(wildcard tests/js/*.mjs tests/js/fixtures/* tests/types/*)
	tests/js/install-package.sh
	touch $@

## test: every layer, stopping at the first failure; the emulator is stopped whatever happens
test: setup build
	@mkdir -p $(WORK) && rm -f $(WORK)/summary.txt
	@$(MAKE) --no-print-directory SKIP_SETUP=1 test-rust test-wasm-chromium test-emulator test-testing-export test-js-unit test-types \
	  test-js-node test-js-workerd test-load-workerd test-readme-worker test-example-worker test-js-chromium test-chat-page test-smoke test-size \
	  || { tests/harness/summary.sh; exit 1; }
	@tests/harness/summary.sh

test-rust:
	@$(LAYER) "cargo fmt --check" cargo fmt --check
	@$(LAYER) "cargo clippy (host)" cargo clippy --all-targets -- -D warnings
	@$(LAYER) "cargo clippy (wasm32)" cargo clippy --target wasm32-unknown-unknown --lib -- -D warnings
	@$(LAYER) "cargo test" cargo test

# tests/web.rs reads BEDROCK_EMULATOR_URL at compile time (option_env!).
test-wasm-chromium:
	@$(LAYER) "wasm-pack test (chromium)" $(WITH_EMULATOR) \
	  env CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome -- --test web

# The emulator's own tests (tests/emulator/) against the emulator in emulator/.
test-emulator:
	@$(LAYER) "emulator self-tests" bash -c 'cd tests && $(NODE_TEST) emulator/'

# `bedrock-edge/testing` (the emulator as a fetch handler, pkg/testing.js) from the packed package:
# ChatBedrockConverse and a user's Worker against `emulator.fetch`, in Node and in workerd.
test-testing-export: $(WORK)/consumer/.installed
	@$(LAYER) "bedrock-edge/testing (node, workerd)" node tests/testing-export/run.mjs

# The package's plain-JS modules on their own (js/partial-json.js, js/node-http.js against a local
# server; structured output over a fake
# model, from pkg/core.js).
test-js-unit: pkg/.built
	@$(LAYER) "js unit tests" bash -c 'cd tests && $(NODE_TEST) js/partial-json.test.mjs js/structured-output.test.mjs js/node-http.test.mjs'

test-types: $(WORK)/consumer/.installed
	@$(LAYER) "tsc --strict (node, workerd, langchain)" bash -c '$(NODE_BIN)/tsc -p $(WORK)/consumer/types/tsconfig.json \
	  && $(NODE_BIN)/tsc -p $(WORK)/consumer/types/tsconfig.workerd.json \
	  && $(NODE_BIN)/tsc -p $(WORK)/consumer/types/tsconfig.langchain.json \
	  && echo "index.d.ts, langchain.d.ts: example.ts and langchain-example.ts type-check"'

test-js-node: $(WORK)/consumer/.installed
	@$(LAYER) "js suite (node)" $(WITH_EMULATOR) bash -c 'cd $(WORK)/consumer && $(NODE_TEST) suite/node.test.mjs'

test-js-workerd: $(WORK)/consumer/.installed
	@$(LAYER) "js suite (workerd)" $(WITH_EMULATOR) node tests/workerd/run-suite.mjs

# 200 concurrent streams and 10,000 sequential requests in one workerd isolate; prints wasm memory.
test-load-workerd: $(WORK)/consumer/.installed
	@$(LAYER) "load in one workerd isolate" $(WITH_EMULATOR) node tests/workerd/load.mjs

test-readme-worker: $(WORK)/consumer/.installed
	@$(LAYER) "README Worker example (workerd)" $(WITH_EMULATOR) node tests/workerd/readme-example.mjs

# examples/worker set up as its README says, in a copy outside the repository (the packed
# package and its wrangler installed there; the Node 22 wrangler needs from npm, into
# tests/.work/wrangler), bundled by wrangler (`deploy --dry-run`) and run in workerd.
test-example-worker: $(WORK)/consumer/.installed
	@$(LAYER) "examples/worker (wrangler)" $(WITH_EMULATOR) node tests/workerd/example-worker.mjs

test-js-chromium: $(WORK)/consumer/.installed
	@$(LAYER) "js suite (chromium)" $(WITH_EMULATOR) node tests/browser/run-suite.mjs

# The www/ chat page served by the demo Worker in workerd, driven in headless Chromium; screenshots
# in tests/.work/screenshots/.
test-chat-page: $(WORK)/consumer/.installed
	@$(LAYER) "chat page (workerd + chromium)" $(WITH_EMULATOR) node tests/browser/chat-page.mjs

# The npm pack tarball installed into fresh projects and used with no init(): Node ESM, a Worker
# bundled by wrangler in workerd, a Vite build in Chromium, Bun, Deno; invoke, stream and
# tsc --strict in each. Its tools are installed once into tests/.work/smoke-tools.
test-smoke: $(WORK)/consumer/.installed
	@$(LAYER) "npm package smoke matrix" $(WITH_EMULATOR) node tests/smoke/run.mjs

test-size: pkg/.built
	@$(LAYER) "size budget" node tests/size/check.mjs

## demo: the seed example streamed through a Worker in workerd (real Bedrock if AWS keys are set), then
## the www/ chat page served by that Worker: its URL is printed; from a terminal it serves until Ctrl-C
demo: $(WORK)/consumer/.installed
	@if [ -n "$${AWS_ACCESS_KEY_ID:-}" ] && [ -n "$${AWS_SECRET_ACCESS_KEY:-}" ]; then \
	  node tests/demo/run.mjs; \
	else \
	  $(WITH_EMULATOR) node tests/demo/run.mjs; \
	fi

## bench: bedrock-edge side by side with the peers of ../shared/docs/ANCHORS.md against the emulator,
## interleaved, medians of RUNS runs: one markdown table, also in tests/.work/bench/bench.md and
## bench.json (not part of `make test`; timings are never asserted). PKG: the package measured
## (default pkg/, built first); BASELINE=<dir>: a second bedrock-edge column from the same run;
## CASES=size,stream,large-reads,cold-start,memory,embeddings: a subset.
PKG ?= pkg
BASELINE ?=
CASES ?=
RUNS ?= 5
BENCH_PEERS := tests/bench/peers
bench: $(if $(filter pkg pkg/,$(PKG)),pkg/.built) $(BENCH_PEERS)/node_modules/.package-lock.json
	@$(WITH_EMULATOR) node tests/bench/run.mjs --pkg '$(PKG)' --baseline '$(BASELINE)' --cases '$(CASES)' --runs '$(RUNS)'

# The peers at the versions pinned in tests/bench/peers/package.json (its lock file committed).
$(BENCH_PEERS)/node_modules/.package-lock.json: $(BENCH_PEERS)/package.json $(BENCH_PEERS)/package-lock.json
	cd $(BENCH_PEERS) && npm install --no-audit --no-fund
	touch $@

## fuzz: the cargo-fuzz targets in fuzz/, FUZZ_RUNS runs each (not part of `make test`);
## `make -j3 fuzz` runs them side by side. A crash stops it, with the input in fuzz/artifacts/.
# The corpora are seeded from ../shared/vectors at run time (fuzz/seed-corpus.sh) and git-ignored.
FUZZ_RUNS ?= 4000000
# Inputs up to 8 KiB: room for most recorded streams (longer seeds are cut) at twice the
# speed of libFuzzer's default, which would follow the 32 KiB seeds.
FUZZ_MAX_LEN ?= 8192
# The decoders are safe Rust, so AddressSanitizer (cargo-fuzz's default) would find nothing
# overflow checks don't, at about a seventh of the speed; FUZZ_SANITIZER=address brings it back.
FUZZ_SANITIZER ?= none
FUZZ_TARGETS := frame_decoder chunk_decoder valid_frames
FUZZ_LOGS := fuzz/artifacts/logs

.PHONY: fuzz fuzz-setup $(addprefix fuzz-,$(FUZZ_TARGETS))

fuzz: $(addprefix fuzz-,$(FUZZ_TARGETS))
	@echo "==== fuzz: executions ===="
	@for target in $(FUZZ_TARGETS); do \
	  printf '%-14s %12s executions, %s crashes\n' "$$target" \
	    "$$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_LOGS)/$$target.log)" \
	    "$$(find fuzz/artifacts/$$target -name 'crash-*' -newer $(FUZZ_LOGS)/$$target.start | wc -l)"; \
	done

fuzz-setup:
	@rustup toolchain list | grep -q '^$(NIGHTLY)' || rustup toolchain install $(NIGHTLY) --profile minimal
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
	@fuzz/seed-corpus.sh
	@echo "==== fuzz: build ===="
	MAKEFLAGS= cargo +$(NIGHTLY) fuzz build --sanitizer $(FUZZ_SANITIZER)

# Overflow checks and debug assertions are on (cargo-fuzz's default); MAKEFLAGS= keeps cargo off
# make's jobserver, which recipes without `+` do not pass on. The log keeps libFuzzer's
# output; on a crash its tail is printed, with the panic and the artifact path.
$(addprefix fuzz-,$(FUZZ_TARGETS)): fuzz-%: fuzz-setup
	@mkdir -p $(FUZZ_LOGS) fuzz/artifacts/$* && touch $(FUZZ_LOGS)/$*.start
	@echo "==== fuzz: $* ($(FUZZ_RUNS) runs, log in $(FUZZ_LOGS)/$*.log) ===="
	@MAKEFLAGS= cargo +$(NIGHTLY) fuzz run --sanitizer $(FUZZ_SANITIZER) $* -- \
	  -runs=$(FUZZ_RUNS) -max_len=$(FUZZ_MAX_LEN) -print_final_stats=1 >$(FUZZ_LOGS)/$*.log 2>&1 \
	  || { tail -n 40 $(FUZZ_LOGS)/$*.log; exit 1; }
	@sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/$*: \1 runs in \2 s/p' $(FUZZ_LOGS)/$*.log

clean:
	rm -rf pkg $(WORK)
