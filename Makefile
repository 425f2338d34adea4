# charcheck - a model checker for inner-alignment arguments.
# `make` builds ./charcheck; `make run` installs what is missing, builds and
# checks models/seed.char; `make check` runs the whole suite (also under
# ASan+UBSan).  Knobs (one line each):
PREFIX   ?= /usr/local#            install root
BINDIR   ?= $(PREFIX)/bin#         where the program goes
MANDIR   ?= $(PREFIX)/share/man#   where charcheck.1 goes
CC       ?= cc#                    any C11 compiler
CFLAGS   ?= -O2 -g#                yours; warnings are added below
WERROR   ?= 0#                     1: warnings are errors (CI sets it)
SANITIZE ?=#                       e.g. address,undefined
BUILD    ?= build#                 objects and generated code
GLPK_CFLAGS ?=#                    GLPK ships no .pc file
GLPK_LIBS   ?=#                    none: checker/lp.c dlopen()s GLPK
# The soname to open: the one the linker would link, else Debian's.
ifndef GLPK_SONAME
GLPK_SONAME := $(or $(shell objdump -p "$$($(CC) -print-file-name=libglpk.so)" \
	2>/dev/null | awk '/SONAME/ { print $$2 }'),libglpk.so.40)
endif
XML_CFLAGS  ?= $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
DL_LIBS     ?= -ldl#               libxml2 is dlopen()ed for JUnit
V        ?= 0#                     1: show full commands
VALGRIND ?= 0#                     1: `make check` runs models under valgrind
export VALGRIND
# The POPCNT instruction when this machine has it (bitset counts).
ARCH_CFLAGS ?= $(shell grep -qw popcnt /proc/cpuinfo 2>/dev/null && \
	$(CC) -mpopcnt -E -x c /dev/null >/dev/null 2>&1 && echo -mpopcnt)

WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wwrite-strings -Wundef -Wformat=2 -Wvla
ifeq ($(WERROR),1)
WARN += -Werror
endif
ifneq ($(SANITIZE),)
SAN = -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -pthread $(WARN) $(SAN) \
	$(ARCH_CFLAGS) -Ilang \
	-Ichecker -I$(BUILD)/lang $(GLPK_CFLAGS) $(XML_CFLAGS) \
	-DGLPK_SONAME='"$(GLPK_SONAME)"' $(CPPFLAGS) $(CFLAGS)
# GMP and json-c linked in when their archives are installed (Debian's -dev
# packages ship them): two libraries fewer for every run to load and bind.
comma := ,
static_lib = $(if $(filter /%,$(shell $(CC) -print-file-name=lib$(1).a)),\
	-Wl$(comma)-Bstatic -l$(1) -Wl$(comma)-Bdynamic,-l$(1))
LIBS = $(GLPK_LIBS) $(DL_LIBS) $(call static_lib,gmp) \
	$(call static_lib,json-c) -lm -pthread
Q = $(if $(filter 1,$(V)),,@)

LANG_SRC  = $(wildcard lang/*.c)
CHECK_SRC = $(filter-out checker/main.c,$(wildcard checker/*.c))
GEN_OBJ   = $(BUILD)/lang/parser.o $(BUILD)/lang/lexer.o
OBJ = $(GEN_OBJ) $(LANG_SRC:%.c=$(BUILD)/%.o) $(CHECK_SRC:%.c=$(BUILD)/%.o)
UNIT = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))
PROG = $(if $(filter build,$(BUILD)),charcheck,$(BUILD)/charcheck)

.PHONY: all run check unit asan bench install uninstall clean lint deps \
	coverage graph
.DELETE_ON_ERROR:
all: $(PROG)

deps:
	$(Q)sh tools/deps.sh

$(PROG): $(OBJ) $(BUILD)/checker/main.o
	@echo "  LD      $@"
	$(Q)$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/%.o: %.c $(BUILD)/lang/parser.h
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/lang/parser.c $(BUILD)/lang/parser.h: lang/parser.y
	@mkdir -p $(@D)
	@echo "  BISON   $<"
	$(Q)bison -Wall -Wcounterexamples -Werror --header=$(BUILD)/lang/parser.h \
		-o $(BUILD)/lang/parser.c $<
$(BUILD)/lang/lexer.c $(BUILD)/lang/lexer.h: lang/lexer.l $(BUILD)/lang/parser.h
	@mkdir -p $(@D)
	@echo "  FLEX    $<"
	$(Q)flex --header-file=$(BUILD)/lang/lexer.h -o $(BUILD)/lang/lexer.c $<
# Generated code: relax only the warnings flex's skeleton trips.
$(BUILD)/lang/lexer.o: $(BUILD)/lang/lexer.c
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-unused-function -Wno-sign-compare \
		-Wno-missing-prototypes -c -o $@ $<
$(BUILD)/lang/parser.o: $(BUILD)/lang/parser.c $(BUILD)/lang/lexer.h
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<
$(OBJ:.o=.o): | $(BUILD)/lang/lexer.h

$(BUILD)/tests/%: tests/unit/%.c $(OBJ)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(OBJ) $(LIBS) -lcmocka

build/tests/jsoncheck: tests/jsoncheck.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< -ljson-c

build/tests/jsoncmp: tests/jsoncmp.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< -ljson-c -lm

asan:
	$(Q)$(MAKE) --no-print-directory BUILD=build/asan \
		SANITIZE=address,undefined CFLAGS="-O1 -g" build/asan/charcheck

run: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)sh tools/run-seed.sh ./charcheck models/seed.char

unit: $(UNIT)
	$(Q)for t in $(UNIT); do $$t || exit 1; done

check: deps
	$(Q)sh tools/deps.sh --check
	$(Q)$(MAKE) --no-print-directory all $(UNIT) build/tests/jsoncmp \
		build/tests/jsoncheck
	$(Q)$(MAKE) --no-print-directory asan
	$(Q)$(MAKE) --no-print-directory BUILD=build/asan \
		SANITIZE=address,undefined CFLAGS="-O1 -g" $(UNIT:build/%=build/asan/%)
	$(Q)sh tests/check.sh

bench: all
	$(Q)sh bench/run.sh ./charcheck

# The layer graph of checker/ (HACKING.md), drawn from the includes.
graph:
	$(Q)sh tools/layers.sh --dot >docs/layers.dot
	$(Q)dot -Tsvg docs/layers.dot -o docs/layers.svg
	@echo "  GRAPH   docs/layers.svg"

coverage:
	$(Q)sh tests/coverage/run.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 charcheck $(DESTDIR)$(BINDIR)/charcheck
	install -m 644 docs/charcheck.1 $(DESTDIR)$(MANDIR)/man1/charcheck.1
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/charcheck $(DESTDIR)$(MANDIR)/man1/charcheck.1

lint:
	$(Q)sh tools/lint.sh

clean:
	rm -rf build charcheck

include fuzz/fuzz.mk
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
