# The two set-up commands: `make run` and `make test`. Both install what is missing first.
BUILD_DIR ?= build
# -O2 without debug information: it compiles about a quarter faster than RelWithDebInfo (-O2 -g).
# Use another build folder with BUILD_TYPE=RelWithDebInfo for a debugger.
BUILD_TYPE ?= Release
RELEASE_FLAGS ?= -O2 -DNDEBUG
JOBS ?= $(shell nproc)
# Warnings are errors in CI (CI=true is set there) and when WERROR=ON is given.
WERROR ?= $(if $(CI),ON,OFF)

CMAKE_CONFIGURE = cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
                  -DCMAKE_CXX_FLAGS_RELEASE="$(RELEASE_FLAGS)" \
                  -DSALESRADAR_WERROR=$(WERROR)

.PHONY: all setup setup-test build web test run bench fuzz clean

all: build

setup:
	@scripts/setup.sh core

setup-test:
	@scripts/setup.sh core test postgres

$(BUILD_DIR)/build.ninja:
	$(CMAKE_CONFIGURE)

build: setup $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The web UI in web/dist. `npm ci` runs when web/node_modules is missing or older than the lock
# file (npm writes node_modules/.package-lock.json on every install).
web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	touch $@

web: setup web/node_modules/.package-lock.json
	cd web && npm run build

# Runs every test: unit, integration, scenario and browser tests through CTest. The browser
# tests skip, saying so, when Chromium is missing (`scripts/setup.sh browser` installs it).
test: setup-test $(BUILD_DIR)/build.ninja web
	cmake --build $(BUILD_DIR) -j $(JOBS)
	cd web && npm test
	scripts/test.sh $(BUILD_DIR)

# Builds, imports the bundled sample data into a fresh database and prints the pipeline report.
run: build web
	scripts/run.sh $(BUILD_DIR)

bench: build
	scripts/bench.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) var
