# tether: GNU make, no generator. `make help` lists the targets.

VERSION    := 0.1.0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec
MANDIR     ?= $(PREFIX)/share/man
DESTDIR    ?=
N          ?= 4

CC         ?= cc
PKG_CONFIG ?= pkg-config
BUILD      := build

# -Werror where the tree is judged (CI sets CI=true); -Wall -Wextra everywhere.
WERROR     ?= $(if $(filter true 1 yes,$(CI)),-Werror,)
CFLAGS     ?= -O2 -g
WARNINGS   := -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
              -Wno-unused-parameter -Wno-missing-field-initializers
# Where the controller looks for the agent it deploys, after its own directory.
AGENT_DIR  := $(LIBEXECDIR)/tether
DEFINES    := -D_GNU_SOURCE -DTETHER_VERSION='"$(VERSION)"' -DTETHER_AGENT_DIR='"$(AGENT_DIR)"'
ALL_CFLAGS  = -std=gnu11 $(WARNINGS) $(WERROR) $(DEFINES) -Icommon -MMD -MP $(CFLAGS) \
              $(shell $(PKG_CONFIG) --cflags libssh libsystemd jansson 2>/dev/null)

SSH_LIBS       = $(shell $(PKG_CONFIG) --libs libssh 2>/dev/null)
SYSTEMD_LIBS   = $(shell $(PKG_CONFIG) --libs libsystemd 2>/dev/null)
JANSSON_LIBS   = $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null)
# The agent carries jansson inside it, so a host needs only libc and libsystemd.
JANSSON_STATIC = -Wl,-Bstatic $(JANSSON_LIBS) -Wl,-Bdynamic
CMOCKA_LIBS    = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

COMMON_SRC     := $(sort $(wildcard common/*.c))
AGENT_SRC      := $(sort $(wildcard agent/*.c))
CONTROLLER_SRC := $(sort $(wildcard controller/*.c))
UNIT_SRC       := $(sort $(wildcard tests/unit/test-*.c))

COMMON_OBJ     := $(COMMON_SRC:%.c=$(BUILD)/obj/%.o)
AGENT_OBJ      := $(AGENT_SRC:%.c=$(BUILD)/obj/%.o)
CONTROLLER_OBJ := $(CONTROLLER_SRC:%.c=$(BUILD)/obj/%.o)
# The controller's modules without its main(), for unit tests to link.
CONTROLLER_LIB_OBJ := $(filter-out $(BUILD)/obj/controller/main.o,$(CONTROLLER_OBJ))
UNIT_BIN       := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

LIBCOMMON  := $(BUILD)/libtether-common.a
LIBCONTROLLER := $(BUILD)/libtether-controller.a
CONTROLLER := $(BUILD)/tether
AGENT      := $(BUILD)/tether-agent

.PHONY: all unit integration test lint install clean deps fleet-up fleet-down demo help
.DEFAULT_GOAL := all

all: $(CONTROLLER) $(AGENT) $(LIBCOMMON)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBCOMMON): $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(LIBCONTROLLER): $(CONTROLLER_LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(CONTROLLER): $(CONTROLLER_OBJ) $(LIBCOMMON)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CONTROLLER_OBJ) $(LIBCOMMON) $(SSH_LIBS) $(JANSSON_LIBS) -lpthread

$(AGENT): $(AGENT_OBJ) $(LIBCOMMON)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(AGENT_OBJ) $(LIBCOMMON) $(SYSTEMD_LIBS) $(JANSSON_STATIC)

# A unit test may wrap functions at the libssh / sd-bus edge: it lists them in
# a line "WRAP: symbol symbol ..." of its source, read here.
$(BUILD)/tests/%: tests/unit/%.c $(LIBCONTROLLER) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Icontroller -Itests/unit $(LDFLAGS) -o $@ $< $(LIBCONTROLLER) $(LIBCOMMON) \
	  $(addprefix -Wl$(,)--wrap=,$(shell sed -n 's/.*WRAP: *//p' $<)) \
	  $(CMOCKA_LIBS) $(SSH_LIBS) $(SYSTEMD_LIBS) $(JANSSON_LIBS) -lpthread

, := ,

unit: $(UNIT_BIN)
	@tests/unit/run $(UNIT_BIN)

integration: all
	tests/integration/run

# The benchmark harness runs once on 3 hosts, so it keeps working; its
# timings are not asserted (docs/BENCHMARKS.md).
test: deps
	$(MAKE) unit
	$(MAKE) bench-smoke
	$(MAKE) integration

# cppcheck does not read the system headers, so jansson's foreach macros are unknown to it.
lint:
	clang-format --dry-run --Werror $(COMMON_SRC) $(AGENT_SRC) $(CONTROLLER_SRC) $(UNIT_SRC) \
	  $(wildcard common/*.h agent/*.h controller/*.h tests/unit/*.h)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	  --suppress=missingIncludeSystem --suppress=unknownMacro -D_GNU_SOURCE -Icommon common agent controller

deps:
	@scripts/deps

fleet-up: all
	tests/fleet/fleet up $(N)

fleet-down:
	tests/fleet/fleet down

# Benchmarks against OpenSSH, parallel-ssh and Ansible on a fleet of its own
# (root; docs/BENCHMARKS.md). bench-smoke: 3 hosts, one run each.
.PHONY: bench bench-smoke
bench:
	bench/run

bench-smoke:
	bench/run --smoke

demo: deps
	$(MAKE) all
	scripts/demo

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(AGENT_DIR)
	install -m 0755 $(CONTROLLER) $(DESTDIR)$(BINDIR)/tether
	install -m 0755 $(AGENT) $(DESTDIR)$(AGENT_DIR)/tether-agent
	if [ -d man ]; then install -d $(DESTDIR)$(MANDIR)/man1 && install -m 0644 man/*.1 $(DESTDIR)$(MANDIR)/man1/; fi

clean:
	rm -rf $(BUILD)

help:
	@echo "make [all]        build build/tether, build/tether-agent, build/libtether-common.a"
	@echo "make test         install packages (deps), then unit and integration tests"
	@echo "make unit         cmocka unit tests"
	@echo "make integration  tests against a real fleet (root; boots and tears down its own)"
	@echo "make demo         boot a demo fleet and show the bug tether fixes"
	@echo "make fleet-up N=20 / make fleet-down   a test fleet of N hosts"
	@echo "make lint         clang-format check and cppcheck"
	@echo "make install      PREFIX=$(PREFIX) DESTDIR=   (agent in $(AGENT_DIR))"
	@echo "make deps         install the Debian packages the build, tests and fleet need"

-include $(COMMON_OBJ:.o=.d) $(AGENT_OBJ:.o=.d) $(CONTROLLER_OBJ:.o=.d) $(UNIT_BIN:=.d)
