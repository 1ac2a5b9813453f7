# sriovctl: two commands matter.
#   make demo    build, boot the real-kernel lab, and show provision/attach/XML/audit end to end
#   make check   every test: Swift unit/integration tests, then the lab scenarios
#   make fuzz    each libFuzzer target for FUZZ_SECONDS (docs/fuzzing.md); not part of check
SWIFT      ?= swift
LAB_BIN    := .build/release/sriovctl
LAB_RUNNER := Tests/Lab/run-lab.sh

.PHONY: all build release test lab demo check libvirt-demo-check bench bench-audit fuzz clean

all: build

build:
	$(SWIFT) build

# The lab boots a static-stdlib release binary, so the initramfs carries few libraries.
release:
	$(SWIFT) build -c release --static-swift-stdlib --product sriovctl

test:
	$(SWIFT) test

lab: release
	SRIOVCTL_BIN=$(LAB_BIN) $(LAB_RUNNER)

# The lab shows the kernel side; Tests/Demo/libvirt-demo.sh then shows the libvirt XML,
# the Xen line and an attach through this host's libvirtd (skipped when none can run).
demo: release
	SRIOVCTL_BIN=$(LAB_BIN) $(LAB_RUNNER) --demo
	@if [ "$$(id -u)" = 0 ]; then Tests/Support/start-libvirtd.sh >/dev/null 2>&1 || true; fi
	@SRIOVCTL_BIN=$(LAB_BIN) Tests/Demo/libvirt-demo.sh 2>&1 || [ $$? -eq 77 ]

check: test libvirt-demo-check lab

# The host half of the demo as a smoke test (libvirt XML, Xen line, attach through libvirtd).
libvirt-demo-check: release
	@SRIOVCTL_BIN=$(LAB_BIN) Tests/Demo/libvirt-demo.sh > /tmp/sriovctl-libvirt-demo.log 2>&1; \
	status=$$?; \
	if [ $$status -eq 0 ]; then echo "libvirt demo: PASS"; \
	elif [ $$status -eq 77 ]; then echo "libvirt demo: skipped: $$(head -1 /tmp/sriovctl-libvirt-demo.log)"; \
	else cat /tmp/sriovctl-libvirt-demo.log; echo "libvirt demo: FAIL"; exit 1; fi

bench: release
	SRIOVCTL_BIN=$(LAB_BIN) $(LAB_RUNNER) bench-netlink bench-provision

# The audit core on a generated 1,000-lease, 4 x 256-VF host (docs/benchmarks.md).
bench-audit:
	$(SWIFT) build -c release --product AuditBenchmark
	.build/release/AuditBenchmark 20

# libFuzzer on what parses untrusted bytes, FUZZ_SECONDS each (docs/fuzzing.md). Crash
# inputs land in .fuzz/crashes/<target>/; exits non-zero when a target crashes, leaks or hangs.
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) SWIFT=$(SWIFT) Fuzz/run-fuzz.sh

clean:
	rm -rf .build
