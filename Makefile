# sriovctl: two commands matter, and each first installs the Debian packages it needs
# (scripts/install-deps.sh; as non-root it prints the apt-get line and stops).
#   make demo    build, boot the real-kernel lab, and show provision/attach/XML/audit end to end
#   make check   every test: Swift unit/integration tests, then the lab scenarios
# Also: make deb (the Debian package), make deb-check (install/remove it in a debootstrap
# root), make fresh-check (make check + deb-check in a fresh Debian 12 root, as root),
# make fuzz (each libFuzzer target for FUZZ_SECONDS, docs/fuzzing.md; not part of check).
SWIFT      ?= swift
LAB_BIN    := .build/release/sriovctl
LAB_RUNNER := Tests/Lab/run-lab.sh

.PHONY: all deps deps-check build release test lab demo check libvirt-demo-check fresh-check deb deb-check bench bench-audit bench-fleet fuzz clean

all: build

# The one list of Debian packages (build, tests, lab, libvirt, packaging).
deps:
	@scripts/install-deps.sh

# install-deps.sh itself, against stand-ins for dpkg-query and apt-get (changes nothing).
deps-check:
	@Tests/Package/install-deps-test.sh

build:
	$(SWIFT) build

# The lab boots static-stdlib release binaries, so the initramfs carries few libraries:
# sriovctl (lean: --version, vf apply) and sriovctl-full (every command) beside it.
release:
	$(SWIFT) build -c release --static-swift-stdlib --product sriovctl
	$(SWIFT) build -c release --static-swift-stdlib --product sriovctl-full

# In CI (CI set) a skipped test fails the run: CI installs and starts all the tests need.
test:
	SWIFT=$(SWIFT) scripts/swift-test.sh

lab: release
	SRIOVCTL_BIN=$(LAB_BIN) $(LAB_RUNNER)

# The lab shows the kernel side; Tests/Demo/libvirt-demo.sh then shows the libvirt XML,
# the Xen line and an attach through this host's libvirtd (skipped when none can run).
demo: deps release
	SRIOVCTL_BIN=$(LAB_BIN) $(LAB_RUNNER) --demo
	@if [ "$$(id -u)" = 0 ]; then Tests/Support/start-libvirtd.sh >/dev/null 2>&1 || true; fi
	@SRIOVCTL_BIN=$(LAB_BIN) Tests/Demo/libvirt-demo.sh 2>&1 || [ $$? -eq 77 ]

check: deps deps-check test libvirt-demo-check lab

# The host half of the demo as a smoke test (libvirt XML, Xen line, attach through libvirtd).
libvirt-demo-check: release
	@SRIOVCTL_BIN=$(LAB_BIN) Tests/Demo/libvirt-demo.sh > /tmp/sriovctl-libvirt-demo.log 2>&1; \
	status=$$?; \
	if [ $$status -eq 0 ]; then echo "libvirt demo: PASS"; \
	elif [ $$status -eq 77 ] && [ -n "$$CI" ]; then \
		echo "libvirt demo: FAIL: skipped in CI, which starts libvirtd: $$(head -1 /tmp/sriovctl-libvirt-demo.log)"; exit 1; \
	elif [ $$status -eq 77 ]; then echo "libvirt demo: skipped: $$(head -1 /tmp/sriovctl-libvirt-demo.log)"; \
	else cat /tmp/sriovctl-libvirt-demo.log; echo "libvirt demo: FAIL"; exit 1; fi

# The Debian package: .build/deb/sriovctl_VERSION_amd64.deb, lintian-clean (docs/packaging.md).
deb: deps
	scripts/build-deb.sh

# Installs the .deb into a debootstrap root, uses it, removes and purges it (root only).
deb-check: deps
	@deb=$$(scripts/build-deb.sh) && Tests/Package/deb-install-test.sh "$$deb"

# Proof that the package list is complete: .ci/run and deb-check in a fresh debootstrap root
# (root only; ~2 min once for the base root, then a full cold build, tests and lab).
fresh-check:
	scripts/fresh-check.sh

bench: release
	SRIOVCTL_BIN=$(LAB_BIN) $(LAB_RUNNER) bench-netlink bench-provision

# The audit core on a generated 1,000-lease, 4 x 256-VF host (docs/benchmarks.md).
bench-audit:
	$(SWIFT) build -c release --product AuditBenchmark
	.build/release/AuditBenchmark 20

# The store part of an attach on SQLite and PostgreSQL, and 1,000 attaches from three hosts at
# once (docs/benchmarks.md, "The fleet store"; root, Debian's postgresql).
bench-fleet:
	$(SWIFT) build --product FleetBenchmark
	.build/debug/FleetBenchmark 200 1000

# libFuzzer on what parses untrusted bytes, FUZZ_SECONDS each (docs/fuzzing.md). Crash
# inputs land in .fuzz/crashes/<target>/; exits non-zero when a target crashes, leaks or hangs.
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) SWIFT=$(SWIFT) Fuzz/run-fuzz.sh

clean:
	rm -rf .build
