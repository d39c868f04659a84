# tether: GNU make, no generator. `make help` lists the targets.

VERSION    := 0.1.0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
DESTDIR    ?=
N          ?= 4

CC         ?= cc
PKG_CONFIG ?= pkg-config
# A comma, for the arguments of make's functions.
, := ,
# debian/rules builds in a directory of its own, so a package build in the
# tree leaves build/ alone.
BUILD      ?= build

# -Werror where the tree is judged (CI sets CI=true); -Wall -Wextra everywhere.
WERROR     ?= $(if $(filter true 1 yes,$(CI)),-Werror,)
CFLAGS     ?= -O2 -g
WARNINGS   := -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
              -Wno-unused-parameter -Wno-missing-field-initializers
# Where make install puts the agent the controller deploys, which the
# controller looks for after its own directory: relative to where it was
# installed, then at this path (install-paths.h below).
AGENT_DIR  = $(LIBEXECDIR)/tether
DEFINES    := -D_GNU_SOURCE -DTETHER_VERSION='"$(VERSION)"'

# Build hardening, on every program built here (docs/security.md, "Build
# hardening and lint"); scripts/check-hardening reads the result (make
# check-hardening). These come before the user's CPPFLAGS, CFLAGS and
# LDFLAGS, so that a flag given there wins (the compiler takes the last of
# two), and HARDENING= leaves them all out.
HARDENING  ?= yes
# _FORTIFY_SOURCE=3 where the compiler and the C library have it (gcc 12 and
# glibc 2.34), 2 where they do not (the portable agent's gcc 10 and glibc
# 2.31): glibc's <features.h> says which level it settled on. FORTIFY= leaves
# it out, as the sanitizer builds do (ASan intercepts the same functions).
ifeq ($(origin FORTIFY),undefined)
FORTIFY    := $(shell $(CC) -O2 -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3 -include stdio.h -dM -E -x c /dev/null \
                2>/dev/null | grep -q '^.define __USE_FORTIFY_LEVEL 3' && echo 3 || echo 2)
endif
# Fortify needs the optimizer (the last -O of CFLAGS, not -O0), and a
# _FORTIFY_SOURCE the user set (dpkg-buildflags puts one in CPPFLAGS) is the
# one that counts.
FORTIFY_OPTIMIZED = $(filter-out -O0,$(lastword $(filter -O%,$(CFLAGS))))
FORTIFY_FLAGS     = $(if $(FORTIFY),$(if $(FORTIFY_OPTIMIZED),$(if $(findstring _FORTIFY_SOURCE,$(CPPFLAGS) $(CFLAGS)),,\
                      -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=$(FORTIFY))))
# Control-flow protection is the processor's: CET on x86, BTI and PAC on arm64.
TARGET_MACHINE := $(shell $(CC) -dumpmachine 2>/dev/null)
CF_PROTECTION  := $(if $(filter x86_64-% i386-% i486-% i586-% i686-%,$(TARGET_MACHINE)),-fcf-protection,\
                    $(if $(filter aarch64-%,$(TARGET_MACHINE)),-mbranch-protection=standard))
HARDENING_CFLAGS  = $(if $(HARDENING),-fstack-protector-strong -fstack-clash-protection $(CF_PROTECTION) -fPIE \
                      $(FORTIFY_FLAGS))
HARDENING_LDFLAGS = $(if $(HARDENING),-pie -Wl$(,)-z$(,)relro -Wl$(,)-z$(,)now)

ALL_CFLAGS  = -std=gnu11 $(WARNINGS) $(WERROR) $(DEFINES) -Icommon -I$(BUILD)/gen -MMD -MP $(HARDENING_CFLAGS) \
              $(CPPFLAGS) $(CFLAGS) \
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

# The HTML report's CSS and script are files, compiled into the controller
# by tools/embed-asset (built for the build machine, with their CSP hashes
# computed from their bytes), and the ids and data-* attributes that page and
# script share are a list made into a header by the same tool.
BUILD_CC       ?= $(CC)
BUILD_CFLAGS   ?= -O2
EMBED_ASSET    := $(BUILD)/tools/embed-asset
# The agentless scripts go in the same way: the controller sends their exact
# bytes.
ASSETS         := controller/assets/report.css controller/assets/report.js controller/agentless-gather.sh \
                  controller/agentless-change.sh controller/agentless-test.sh
ASSETS_SRC     := $(BUILD)/gen/report-assets.c
ASSETS_OBJ     := $(BUILD)/obj/gen/report-assets.o
NAMES_HEADER   := $(BUILD)/gen/report-names.h
PATHS_HEADER   := $(BUILD)/gen/install-paths.h

COMMON_OBJ     := $(COMMON_SRC:%.c=$(BUILD)/obj/%.o)
AGENT_OBJ      := $(AGENT_SRC:%.c=$(BUILD)/obj/%.o)
CONTROLLER_OBJ := $(CONTROLLER_SRC:%.c=$(BUILD)/obj/%.o) $(ASSETS_OBJ)
# The controller's modules without its main(), for unit tests to link.
CONTROLLER_LIB_OBJ := $(filter-out $(BUILD)/obj/controller/main.o,$(CONTROLLER_OBJ))
UNIT_BIN       := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# Unit tests of the scripts, run beside the binaries.
UNIT_SCRIPTS   := $(sort $(wildcard tests/unit/test-*.sh))

LIBCOMMON  := $(BUILD)/libtether-common.a
LIBCONTROLLER := $(BUILD)/libtether-controller.a
CONTROLLER := $(BUILD)/tether
AGENT      := $(BUILD)/tether-agent
# The agent tether deploys to hosts, built for the oldest of them (make
# portable-agent, below).
PORTABLE_DIR   := $(BUILD)/portable
PORTABLE_AGENT := $(PORTABLE_DIR)/tether-agent

.PHONY: all unit integration test lint install uninstall deb clean deps fleet-up fleet-down demo help \
        portable-agent check-hardening
.DEFAULT_GOAL := all

all: $(CONTROLLER) $(AGENT) $(LIBCOMMON)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(EMBED_ASSET): tools/embed-asset.c $(addprefix common/,sha256.c sha256.h fileio.c fileio.h error.c error.h macro.h)
	@mkdir -p $(dir $@)
	$(BUILD_CC) -std=gnu11 $(WARNINGS) $(WERROR) -D_GNU_SOURCE -Icommon $(BUILD_CFLAGS) -o $@ \
	  tools/embed-asset.c common/sha256.c common/fileio.c common/error.c

# Written to a temporary file first, so a failed run leaves no half a source.
$(ASSETS_SRC): $(EMBED_ASSET) $(ASSETS)
	@mkdir -p $(dir $@)
	$(EMBED_ASSET) source report-assets.h report_asset_css=controller/assets/report.css \
	  report_asset_js=controller/assets/report.js \
	  agentless_gather_script=controller/agentless-gather.sh \
	  agentless_change_script=controller/agentless-change.sh \
	  agentless_test_script=controller/agentless-test.sh >$@.tmp
	mv $@.tmp $@

$(NAMES_HEADER): $(EMBED_ASSET) controller/assets/report.names controller/assets/report.js
	@mkdir -p $(dir $@)
	$(EMBED_ASSET) names controller/assets/report.names controller/assets/report.js >$@.tmp
	mv $@.tmp $@

$(ASSETS_OBJ): $(ASSETS_SRC) controller/report-assets.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Icontroller -c -o $@ $<

# The one source that includes the generated header; listed here because its
# .d file, which would say so, does not exist before the first build.
$(BUILD)/obj/controller/render-html.o: $(NAMES_HEADER)

# What the controller is told of the install: where the agent goes, that
# place relative to the controller's own (for a tree installed with DESTDIR
# and used where it is), and the libsystemd the agent was built with, for
# tether --version. Written only when it changes, like git's GIT-CFLAGS: a
# make install with another PREFIX or LIBEXECDIR rebuilds what includes it
# before installing, and nothing is rebuilt when they stay the same.
$(PATHS_HEADER): FORCE
	@mkdir -p $(dir $@)
	@{ echo '/* Generated by make from PREFIX, BINDIR and LIBEXECDIR. */'; \
	  echo '#define TETHER_AGENT_DIR "$(AGENT_DIR)"'; \
	  echo '#define TETHER_AGENT_DIR_FROM_BINDIR "'"$$(realpath -m --relative-to='$(BINDIR)' '$(AGENT_DIR)')"'"'; \
	  echo '#define TETHER_LIBSYSTEMD_VERSION "'"$$($(PKG_CONFIG) --modversion libsystemd 2>/dev/null)"'"'; \
	} >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/obj/controller/agent-binary.o $(BUILD)/obj/controller/version.o: $(PATHS_HEADER)

.PHONY: FORCE
FORCE:

$(LIBCOMMON): $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(LIBCONTROLLER): $(CONTROLLER_LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(CONTROLLER): $(CONTROLLER_OBJ) $(LIBCOMMON)
	$(CC) $(HARDENING_LDFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(CONTROLLER_OBJ) $(LIBCOMMON) $(SSH_LIBS) $(JANSSON_LIBS) -lpthread

$(AGENT): $(AGENT_OBJ) $(LIBCOMMON)
	$(CC) $(HARDENING_LDFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(AGENT_OBJ) $(LIBCOMMON) $(SYSTEMD_LIBS) $(JANSSON_STATIC)

# A unit test may wrap functions at the libssh / sd-bus edge: it lists them in
# a line "WRAP: symbol symbol ..." of its source, read here.
$(BUILD)/tests/%: tests/unit/%.c $(LIBCONTROLLER) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Icontroller -Itests/unit $(HARDENING_LDFLAGS) $(LDFLAGS) -o $@ $< $(LIBCONTROLLER) $(LIBCOMMON) \
	  $(addprefix -Wl$(,)--wrap=,$(shell sed -n 's/.*WRAP: *//p' $<)) \
	  $(CMOCKA_LIBS) $(SSH_LIBS) $(SYSTEMD_LIBS) $(JANSSON_LIBS) -lpthread

unit: $(UNIT_BIN)
	@tests/unit/run $(UNIT_BIN) $(UNIT_SCRIPTS)

# The unit tests and both programs again, built by clang under AddressSanitizer
# and UndefinedBehaviorSanitizer in build/sanitize: any memory error, leak or
# undefined behaviour fails the test that hit it. The integration tests run
# this controller too (test-70-sanitize).
SANITIZE_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
.PHONY: sanitize fuzz fuzz-smoke fuzz-harnesses
sanitize:
	$(MAKE) -j$$(nproc) BUILD=$(BUILD)/sanitize CC=clang WERROR= FORTIFY= CFLAGS="$(SANITIZE_FLAGS)" \
	  LDFLAGS="-fsanitize=address,undefined" all unit

# libFuzzer harnesses (tests/fuzz) for every parser that reads what a host,
# a report or an inventory says, built in build/fuzz; fuzz-smoke runs each
# for FUZZ_SECONDS (tests/fuzz/run).
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz-*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
fuzz:
	$(MAKE) -j$$(nproc) BUILD=$(BUILD)/fuzz CC=clang WERROR= FORTIFY= CFLAGS="$(SANITIZE_FLAGS) -fsanitize=fuzzer-no-link" \
	  fuzz-harnesses

fuzz-harnesses: $(FUZZ_BIN)

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(LIBCONTROLLER) $(LIBCOMMON)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -Icontroller -Itests/fuzz -o $@ $< $(LIBCONTROLLER) $(LIBCOMMON) \
	  $(SSH_LIBS) $(SYSTEMD_LIBS) $(JANSSON_LIBS) -lpthread

fuzz-smoke: fuzz
	tests/fuzz/run

# make (all) builds an agent for this machine: quick, and what a developer
# runs here. The agent the tests, the demo and the packages deploy to hosts
# is built in a root filesystem of Debian bullseye (made once with
# mmdebstrap and cached; root), and fails when it needs a symbol version past
# the oldest host's, glibc 2.28 and systemd 239 (docs/agent.md, "The oldest
# host").
portable-agent:
	scripts/build-portable-agent $(PORTABLE_DIR)
	scripts/check-agent-symbols $(PORTABLE_AGENT)
	scripts/check-hardening $(PORTABLE_AGENT)

# The programs tether ships were built with the hardening above: read back
# from the binaries (scripts/check-hardening).
check-hardening: $(CONTROLLER) $(AGENT)
	scripts/check-hardening $(CONTROLLER) $(AGENT)

# Every test with the portable agent, on a fleet of Debian bookworm; and
# beside it (tests/integration/run-all), on a mixed fleet of two hosts of
# each role, one on bullseye (glibc 2.31, systemd 247, docker.io 20.10) and
# one on trixie (systemd 257, firewalld 2, docker.io 26), the fleet's own
# tests, those of other releases (tests/integration/old-hosts.sh), agentless
# mode's against the agent's (audit, apply, revert), the hosts that cannot
# take the fix, and the ground truth of every role (test-70: a real restart,
# reload and stop-start of each firewall against tether's verdict; Debian
# 11's hosts with docker's default settings, Debian 13's with IPv6, in one
# round). Each release's root filesystem is one mmdebstrap more the first
# time. Both fleets compare tether test with and without the agent
# (test-38). The controller's and the agent's own tests of the firewalls'
# restarts (test-20, test-30) run on the main fleet only: under the load of
# both fleets, a restart of a oneshot firewall unit of systemd 247 in these
# nested hosts now and then fails, or takes fewer rules; run them on the
# mixed fleet alone with OLD_HOST_TESTS (test-20 takes a role's fifth host:
# OLD_HOSTS at five a role).
OLD_HOST_TESTS ?= tests/integration/test-10-fleet.sh tests/integration/old-hosts.sh \
                  tests/integration/test-36-agentless.sh tests/integration/test-37-cannot-fix.sh \
                  tests/integration/test-38-agentless-test.sh tests/integration/test-70-ground-truth.sh
OLD_HOSTS      ?= $(shell echo $$((2 * $$(tests/fleet/fleet roles | wc -w))))
OLD_HOSTS_SUITES ?= bullseye,trixie
# A second Debian 12 fleet, two hosts of each role, beside the main one,
# for the tests that need no more of a role: name them in
# SECOND_FLEET_TESTS, e.g. (make integration SECOND_FLEET_TESTS="...")
#   tests/integration/test-10-fleet.sh tests/integration/test-30-controller.sh
#   tests/integration/test-32-sudo-prompts.sh tests/integration/test-35-jump.sh
#   tests/integration/test-40-html.sh tests/integration/test-50-reports.sh
#   tests/integration/test-70-security.sh tests/integration/test-75-faults.sh
#   tests/integration/test-85-watch.sh
# Off by default: on this two-core machine those nine files passed there,
# and the main fleet's share was some 7 of its 50 minutes shorter (one run,
# stopped three files before its end), but under the load of three fleets
# the mixed fleet's ground truth (test-70) failed in both runs, on Debian
# 13's firewalld host. That was the ground truth's reading, not firewalld:
# it read Docker's rules while Docker, on firewalld's signal, deleted and
# inserted again its jumps (it now waits until Docker is done). Three
# fleets have not run again since; a machine with more cores can take it.
SECOND_FLEET_TESTS ?=
SECOND_FLEET_HOSTS ?= $(OLD_HOSTS)
integration: all portable-agent
	TETHER_AGENT=$(abspath $(PORTABLE_AGENT)) OLD_HOST_TESTS="$(OLD_HOST_TESTS)" OLD_HOSTS=$(OLD_HOSTS) \
	  OLD_HOSTS_SUITES=$(OLD_HOSTS_SUITES) \
	  SECOND_FLEET_TESTS="$(SECOND_FLEET_TESTS)" SECOND_FLEET_HOSTS=$(SECOND_FLEET_HOSTS) \
	  tests/integration/run-all

# lint first: it takes seconds and a tree that fails it does not land. The
# benchmark harness runs once on 3 hosts, so it keeps working; its timings
# are not asserted (docs/BENCHMARKS.md). The fleets' root filesystems (one
# mmdebstrap a release, mostly downloads and unpacking, the first time) are
# built meanwhile, beside the checks that keep the CPU busy; the fleets wait
# for them (scripts/beside).
test: deps
	scripts/beside $(BUILD)/rootfs.log "TETHER_FLEET_SUITE=bookworm,$(OLD_HOSTS_SUITES) tests/fleet/fleet rootfs" \
	  -- sh -ec '$(MAKE) lint; $(MAKE) unit; $(MAKE) check-hardening; $(MAKE) sanitize; $(MAKE) fuzz-smoke; $(MAKE) portable-agent'
	$(MAKE) bench-smoke
	$(MAKE) integration

# cppcheck does not read the system headers, so jansson's foreach macros are unknown to it.
# clang-tidy does, with the build's own flags (less the .d files), and needs
# the generated headers; its checks are in .clang-tidy. Two files at a time:
# the whole tree takes it under a minute on two cores.
TIDY_SRC    := $(COMMON_SRC) $(AGENT_SRC) $(CONTROLLER_SRC) $(sort $(wildcard tools/*.c))
TIDY_CFLAGS  = $(filter-out -MMD -MP,$(ALL_CFLAGS))
lint: $(NAMES_HEADER) $(PATHS_HEADER)
	clang-format --dry-run --Werror $(COMMON_SRC) $(AGENT_SRC) $(CONTROLLER_SRC) $(UNIT_SRC) $(FUZZ_SRC) tools/*.c \
	  $(wildcard common/*.h agent/*.h controller/*.h tests/unit/*.h tests/fuzz/*.h)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	  --suppress=missingIncludeSystem --suppress=unknownMacro -D_GNU_SOURCE -Icommon -I$(BUILD)/gen common agent controller tools
	printf '%s\n' $(TIDY_SRC) | xargs -P2 -I{} clang-tidy --quiet {} -- $(TIDY_CFLAGS)

deps:
	@scripts/deps

fleet-up: all
	tests/fleet/fleet up $(N)

fleet-down:
	tests/fleet/fleet down

# Benchmarks against OpenSSH, parallel-ssh and Ansible on a fleet of its own
# (root; docs/BENCHMARKS.md). bench-smoke: 3 hosts, one run each, and the
# report's growth from 2,500 to 10,000 hosts, which fails if it is more than
# twice linear (bench/report-scale --check). bench-watch: tether-agent watch's heal
# time over 20 flushes, and its CPU and memory at rest and in a flush storm,
# on one host of a fleet of its own (about 15 minutes; not part of make test).
.PHONY: bench bench-smoke bench-report bench-watch
bench:
	bench/run

bench-smoke: all
	bench/run --smoke
	bench/report-scale --sizes "2500 10000" --runs 3 --check

bench-report: all
	bench/report-scale --check

bench-watch: all portable-agent
	bench/watch-heal

demo: deps
	$(MAKE) all portable-agent
	TETHER_AGENT=$(abspath $(PORTABLE_AGENT)) scripts/demo

# What make install puts where, listed once for install and uninstall:
# DESTINATION=SOURCE=MODE. PREFIX, BINDIR, LIBEXECDIR, DATADIR, MANDIR and
# BASHCOMPDIR are read when it runs (and rebuild what they change); DESTDIR
# only prefixes where the files go.
INSTALL_MAP = $(BINDIR)/tether=$(CONTROLLER)=0755 \
              $(AGENT_DIR)/tether-agent=$(INSTALL_AGENT)=0755 \
              $(MANDIR)/man1/tether.1=man/tether.1=0644 \
              $(MANDIR)/man1/tether-agent.1=man/tether-agent.1=0644 \
              $(BASHCOMPDIR)/tether=shell-completion/bash/tether=0644
# The agent installed: this machine's, or with INSTALL_AGENT=build/portable/tether-agent
# (after make portable-agent) the one for every supported host.
INSTALL_AGENT ?= $(AGENT)
install_field = $(word $(2),$(subst =, ,$(1)))
define newline


endef

install: all
	$(foreach f,$(INSTALL_MAP),install -D -m $(call install_field,$(f),3) $(call install_field,$(f),2) \
	  '$(DESTDIR)$(call install_field,$(f),1)'$(newline))

# Exactly what install put, and the agent's directory, which is tether's
# own; the shared directories (bin, man1, ...) stay.
uninstall:
	rm -f $(foreach f,$(INSTALL_MAP),'$(DESTDIR)$(call install_field,$(f),1)')
	rmdir '$(DESTDIR)$(AGENT_DIR)' 2>/dev/null || true

# The Debian packages tether and tether-agent (debian/), built in a copy of
# the tree under $(BUILD)/deb, where dpkg-buildpackage leaves them beside the
# copy, then checked by lintian: an error or a warning fails, and
# debian/*.lintian-overrides say why a tag does not apply. Takes
# DEB_BUILD_OPTIONS (parallel=2, nocheck) from the environment, and nothing
# from this make's command line (MAKEFLAGS): debian/rules sets the paths.
# Both packages carry the portable agent (TETHER_PORTABLE_AGENT, debian/rules).
DEB_DIR = $(BUILD)/deb
deb: portable-agent
	rm -rf '$(DEB_DIR)'
	mkdir -p '$(DEB_DIR)/tether-$(VERSION)'
	tar -c --exclude-vcs --exclude=./build --exclude='./$(BUILD)' --exclude=./debian/build . | \
	  tar -x -C '$(DEB_DIR)/tether-$(VERSION)'
	cd '$(DEB_DIR)/tether-$(VERSION)' && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	  TETHER_PORTABLE_AGENT='$(abspath $(PORTABLE_AGENT))' dpkg-buildpackage -b -us -uc
	lintian --fail-on error,warning '$(DEB_DIR)/tether_$(VERSION)_'*.changes

clean:
	rm -rf $(BUILD)

help:
	@echo "make [all]        build build/tether, build/tether-agent, build/libtether-common.a"
	@echo "make test         install packages (deps), then lint, unit, check-hardening, sanitize, fuzz-smoke, portable-agent, bench-smoke, integration"
	@echo "make unit         cmocka unit tests, and those of the scripts"
	@echo "make check-hardening  read PIE, RELRO, BIND_NOW, stack protector, fortify and CET back from the programs"
	@echo "make sanitize     the unit tests and both programs under ASan and UBSan (clang), in $(BUILD)/sanitize"
	@echo "make fuzz-smoke   build the libFuzzer harnesses (tests/fuzz) and run each for FUZZ_SECONDS=10"
	@echo "make portable-agent  $(PORTABLE_AGENT), for hosts back to glibc 2.28 and systemd 239 (root)"
	@echo "make integration  tests against a real fleet (root; boots and tears down its own)"
	@echo "make demo         boot a demo fleet and show the bug tether fixes"
	@echo "make fleet-up N=20 / make fleet-down   a test fleet of N hosts"
	@echo "make lint         clang-format check, cppcheck and clang-tidy (.clang-tidy)"
	@echo "make install      PREFIX=$(PREFIX) LIBEXECDIR=$(LIBEXECDIR) DESTDIR= INSTALL_AGENT=   (agent in $(AGENT_DIR))"
	@echo "make uninstall    the same variables: removes what install put"
	@echo "make deb          the Debian packages tether and tether-agent, in $(BUILD)/deb/, checked by lintian"
	@echo "make deps         install the Debian packages the build, tests and fleet need"

-include $(COMMON_OBJ:.o=.d) $(AGENT_OBJ:.o=.d) $(CONTROLLER_OBJ:.o=.d) $(UNIT_BIN:=.d)
