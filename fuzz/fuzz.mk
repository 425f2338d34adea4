# fuzz/fuzz.mk - fuzzing targets, included from the top Makefile (which
# defines BUILD, WARN, GLPK_CFLAGS, GLPK_LIBS, Q).  `make fuzz-smoke` runs the
# libFuzzer target for FUZZ_SMOKE_SECONDS and fails on any crash, leak, hang
# or out-of-memory; `make fuzz` runs it for FUZZ_SECONDS; `make fuzz-afl`
# builds an AFL++ binary when afl-clang-fast is installed.  See fuzz/README.md.
FUZZ_CC       ?= clang-14#          a clang with libFuzzer (compiler-rt)
FUZZ_SECONDS  ?= 3600#              how long `make fuzz` runs
FUZZ_SMOKE_SECONDS ?= 60#           how long `make fuzz-smoke` runs
FUZZ_JOBS     ?= 1#                 >1: libFuzzer -fork=N (one per core)
FUZZ_ARGS     ?=#                   more libFuzzer flags
AFL_CC        ?= afl-clang-fast#    AFL++'s compiler

FUZZ_DIR  = $(BUILD)/fuzz
FUZZ_BIN  = $(FUZZ_DIR)/fuzz_pipeline
FUZZ_SAN  = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
# libxml2's headers (JUnit output, opened with dlopen at run time): the
# top Makefile's settings, else pkg-config's.
XML_CFLAGS ?= $(shell pkg-config --cflags libxml-2.0 2>/dev/null)
DL_LIBS    ?= -ldl
FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -Ilang \
	-Ichecker -I$(BUILD)/lang $(GLPK_CFLAGS) $(XML_CFLAGS)
FUZZ_LIBS = $(GLPK_LIBS) -lgmp -ljson-c $(DL_LIBS) -lm -pthread
FUZZ_GEN  = $(BUILD)/lang/parser.c $(BUILD)/lang/lexer.c
FUZZ_SRC  = $(wildcard lang/*.c) \
	$(filter-out checker/main.c,$(wildcard checker/*.c))
FUZZ_SEEDS = $(wildcard models/*.char examples/*.char tests/golden/*.char \
	tests/errors/*.char tests/conformance/*.char tests/regress/*.char)
FUZZ_RUN_FLAGS = -timeout=10 -rss_limit_mb=2048 -dict=fuzz/char.dict \
	-artifact_prefix=$(FUZZ_DIR)/crashes/ -print_final_stats=1 \
	$(if $(filter-out 1,$(FUZZ_JOBS)),-fork=$(FUZZ_JOBS)) $(FUZZ_ARGS)
# The sanitizer runtime reads these; leaks count as crashes.
FUZZ_ENV = ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# Recursion must see this file too, whichever makefile included it.
FUZZ_MAKE = $(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST))

# The library objects of one flavour, in object dir $(1); compiled with -w
# (their warnings are the main build's business).
fuzz_objs = $(FUZZ_SRC:%.c=$(1)/%.o) $(FUZZ_GEN:%.c=$(1)/%.o)
FUZZ_OBJ = $(call fuzz_objs,$(FUZZ_DIR)/obj)
AFL_OBJ  = $(call fuzz_objs,$(FUZZ_DIR)/afl-obj)

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-afl fuzz-corpus fuzz-have-clang

# Is libFuzzer there?  If not: install it as root, else say so and skip.
fuzz-have-clang:
	$(Q)if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n)' \
	    '{ (void)d; (void)n; return 0; }' | $(FUZZ_CC) -x c \
	    -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "charcheck: installing clang-14 libclang-rt-14-dev" >&2; \
			DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			    --no-install-recommends clang-14 libclang-rt-14-dev \
			    >/dev/null || exit 1; \
		else \
			echo "fuzz: SKIPPED: $(FUZZ_CC) with libFuzzer is not" \
			    "installed (apt-get install clang-14" \
			    "libclang-rt-14-dev)" >&2; \
			mkdir -p $(FUZZ_DIR); touch $(FUZZ_DIR)/.skip; exit 0; \
		fi; \
	fi; rm -f $(FUZZ_DIR)/.skip

$(FUZZ_DIR)/obj/%.o: %.c $(FUZZ_GEN)
	@mkdir -p $(@D)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) \
		-w -MMD -MP -c -o $@ $<
$(FUZZ_DIR)/afl-obj/%.o: %.c $(FUZZ_GEN)
	@mkdir -p $(@D)
	@echo "  AFLCC   $<"
	$(Q)AFL_QUIET=1 $(AFL_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) \
		-w -c -o $@ $<

$(FUZZ_BIN): fuzz/fuzz_pipeline.c $(FUZZ_OBJ)
	@echo "  FUZZLD  $@"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(WARN) -fsanitize=fuzzer $(FUZZ_SAN) \
		-o $@ $^ \
		$(FUZZ_LIBS)
$(FUZZ_DIR)/fuzz_pipeline_afl: fuzz/fuzz_pipeline.c fuzz/afl_driver.c $(AFL_OBJ)
	@echo "  AFLLD   $@"
	$(Q)AFL_QUIET=1 $(AFL_CC) $(FUZZ_CFLAGS) $(WARN) $(FUZZ_SAN) \
		-Wno-gnu-statement-expression -o $@ $^ \
		$(FUZZ_LIBS)

fuzz-build: fuzz-have-clang
	$(Q)[ -f $(FUZZ_DIR)/.skip ] || $(FUZZ_MAKE) $(FUZZ_BIN)

fuzz-afl: $(FUZZ_GEN)
	$(Q)command -v $(AFL_CC) >/dev/null || { echo "fuzz-afl: $(AFL_CC)" \
	    "not found (apt-get install afl++)" >&2; exit 1; }
	$(Q)$(FUZZ_MAKE) $(FUZZ_DIR)/fuzz_pipeline_afl

# Seeds: every example file, named after its directory (no collisions).
fuzz-corpus:
	$(Q)mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/crashes
	$(Q)for f in $(FUZZ_SEEDS); do \
		cp "$$f" "$(FUZZ_DIR)/corpus/$$(echo "$$f" | tr / -)"; done

# run SECONDS: fuzz the corpus for that long; non-zero on any finding.  The
# closing count is tests/check.sh's (one test); a skip says "fuzz: SKIPPED".
fuzz_run = [ -f $(FUZZ_DIR)/.skip ] || { \
	echo "  FUZZ    $(FUZZ_BIN) for $(1)s (findings: $(FUZZ_DIR)/crashes/)"; \
	$(FUZZ_ENV) $(FUZZ_BIN) -max_total_time=$(1) $(FUZZ_RUN_FLAGS) \
	    $(FUZZ_DIR)/corpus >$(FUZZ_DIR)/fuzz.log 2>&1; st=$$?; \
	tail -n 12 $(FUZZ_DIR)/fuzz.log; \
	if [ $$st -ne 0 ]; then \
	grep -E -A40 '^==[0-9]+==|runtime error|ALARM|out-of-memory' \
	    $(FUZZ_DIR)/fuzz.log | head -80; \
	echo "fuzz: FAILED (exit $$st); log $(FUZZ_DIR)/fuzz.log," \
	    "inputs $(FUZZ_DIR)/crashes/" >&2; \
	echo "0 passed, 1 failed"; exit 1; fi; \
	echo "1 passed, 0 failed"; }

fuzz-smoke: fuzz-build fuzz-corpus
	$(Q)$(call fuzz_run,$(FUZZ_SMOKE_SECONDS))

fuzz: fuzz-build fuzz-corpus
	$(Q)$(call fuzz_run,$(FUZZ_SECONDS))
