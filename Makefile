# sriovctl: two commands matter.
#   make demo    build, boot the real-kernel lab, and show provision/attach/XML/audit end to end
#   make check   every test: Swift unit/integration tests, then the lab scenarios
SWIFT      ?= swift
LAB_BIN    := .build/release/sriovctl
LAB_RUNNER := Tests/Lab/run-lab.sh

.PHONY: all build release test lab demo check bench bench-audit clean

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

demo: release
	SRIOVCTL_BIN=$(LAB_BIN) $(LAB_RUNNER) --demo

check: test lab

bench: release
	SRIOVCTL_BIN=$(LAB_BIN) $(LAB_RUNNER) bench-netlink bench-provision

# The audit core on a generated 1,000-lease, 4 x 256-VF host (docs/benchmarks.md).
bench-audit:
	$(SWIFT) build -c release --product AuditBenchmark
	.build/release/AuditBenchmark 20

clean:
	rm -rf .build
