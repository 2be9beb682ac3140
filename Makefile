# Builds libnetfilter_conntrack.so.3 from the Rust crate, and installs it
# with its headers and pkg-config file the way upstream's autotools do.

VERSION    := 1.1.1
SOVERSION  := 3.8.0
PREFIX     ?= /usr/local
EXEC_PREFIX ?= $(PREFIX)
LIBDIR     ?= $(EXEC_PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR    ?=
CARGO      ?= cargo
BUILD      := build
LIBNAME    := libnetfilter_conntrack
HEADERS    := $(wildcard include/libnetfilter_conntrack/*.h)

.DEFAULT_GOAL := all
.PHONY: all lib check test install uninstall clean check-headers FORCE

FORCE:

all: lib $(BUILD)/$(LIBNAME).pc

lib:
	$(CARGO) build --release
	mkdir -p $(BUILD)/lib
	# Copy then rename, so programs running on the old build keep their
	# mapping (overwriting a mapped library in place crashes them).
	cp -f target/release/$(LIBNAME).so $(BUILD)/lib/.$(LIBNAME).so.tmp
	mv -f $(BUILD)/lib/.$(LIBNAME).so.tmp $(BUILD)/lib/$(LIBNAME).so.$(SOVERSION)
	cp -f target/release/$(LIBNAME).a $(BUILD)/lib/$(LIBNAME).a
	ln -sf $(LIBNAME).so.$(SOVERSION) $(BUILD)/lib/$(LIBNAME).so.3
	ln -sf $(LIBNAME).so.$(SOVERSION) $(BUILD)/lib/$(LIBNAME).so

# Regenerated on every run: its paths depend on PREFIX/LIBDIR, which may
# differ between `make` and `make install PREFIX=...`.
$(BUILD)/$(LIBNAME).pc: pkgconfig/$(LIBNAME).pc.in Makefile FORCE
	mkdir -p $(BUILD)
	sed -e 's|@prefix@|$(PREFIX)|' -e 's|@exec_prefix@|$(EXEC_PREFIX)|' \
	    -e 's|@libdir@|$(LIBDIR)|' -e 's|@includedir@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' $< > $@

# Everything: Rust unit and integration tests, then the C tests.
check: all
	$(CARGO) test --release
	$(MAKE) -C utils
	bash ctests/run-all.sh

test: check

# The committed headers must be what the build generates: regenerate them
# (touching build.rs makes cargo rerun it) and fail if git sees a change.
check-headers:
	touch build.rs
	$(CARGO) build --quiet
	git diff --exit-code --stat -- include/
	@untracked=$$(git status --porcelain --untracked-files=all -- include/); \
	if [ -n "$$untracked" ]; then \
	    echo "$$untracked"; echo "include/ has changes the last commit lacks"; exit 1; \
	fi

install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/libnetfilter_conntrack $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0755 $(BUILD)/lib/$(LIBNAME).so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/
	install -m 0644 $(BUILD)/lib/$(LIBNAME).a $(DESTDIR)$(LIBDIR)/
	ln -sf $(LIBNAME).so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/$(LIBNAME).so.3
	ln -sf $(LIBNAME).so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/$(LIBNAME).so
	install -m 0644 $(HEADERS) $(DESTDIR)$(INCLUDEDIR)/libnetfilter_conntrack/
	install -m 0644 $(BUILD)/$(LIBNAME).pc $(DESTDIR)$(PKGCONFIGDIR)/

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(LIBNAME).so* $(DESTDIR)$(LIBDIR)/$(LIBNAME).a
	rm -rf $(DESTDIR)$(INCLUDEDIR)/libnetfilter_conntrack
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/$(LIBNAME).pc

clean:
	$(CARGO) clean
	$(MAKE) -C utils clean
	rm -rf $(BUILD)

# Quick start: builds everything and shows the library at work.
.PHONY: demo
demo:
	bash scripts/demo.sh
