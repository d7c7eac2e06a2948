# Django Cassandra Engine: one entry point for building, testing and running.
#   make build   install dependencies, build cqld, install it into .venv/bin
#   make test    build, then run every test suite
#   make bench   micro benchmarks of cqld (results in bench/results/)
#   make bench-load  latte load against cqld and Cassandra side by side (bench/results/load-*)
#   make bench-orm  Django ORM operations on cqld and SQLite side by side (bench/orm/results.md)
#   make wheel   the portable wheel and the source distribution, in dist/
#   make fuzz    each libFuzzer target for FUZZ_SECONDS (default 600); make stress, make soak,
#                make test-cluster: the long reliability runs (see README "Reliability")

SHELL := /bin/bash
ROOT := $(CURDIR)
VENV := $(ROOT)/.venv
PY := $(VENV)/bin/python
BUILD_DIR := $(ROOT)/build/engine
JOBS ?= $(shell nproc)

.PHONY: all deps venv build engine test unit-test driver-test bench clean sdist wheel wheel-test
.PHONY: cassandra-start cassandra-stop cassandra-status tests-with-cassandra

all: build

deps:
	@tools/install-deps.sh

$(VENV)/.installed: requirements-dev.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

engine: deps
	cmake -S engine -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD_DIR) -j $(JOBS)

build: engine venv
	install -m 0755 $(BUILD_DIR)/cqld $(VENV)/bin/cqld

unit-test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

tests/drivers/node/node_modules/.installed: tests/drivers/node/package.json
	cd tests/drivers/node && npm install --no-audit --no-fund --loglevel=error
	@touch $@

# The Java driver check (tests/drivers/java): Maven fetches the driver once into ~/.m2, and
# package writes the classpath the test runs with; rebuilt only when its files change.
JAVA_CHECK := tests/drivers/java/target/classpath.txt
$(JAVA_CHECK): tests/drivers/java/pom.xml $(wildcard tests/drivers/java/src/main/java/cqld/*.java)
	cd tests/drivers/java && mvn -q -B package -DskipTests

# The gocql checks (tests/drivers/go): one program built against gocql v1.7.0 and, with the
# gocqlv2 tag, against the Apache gocql driver 2.x; go fetches the modules once into its cache.
GO ?= $(shell command -v go || echo /usr/local/go/bin/go)
GO_CHECK := tests/drivers/go/bin/gocheck tests/drivers/go/bin/gocheck-v2
GO_SOURCES := tests/drivers/go/go.mod tests/drivers/go/go.sum $(wildcard tests/drivers/go/*.go)
tests/drivers/go/bin/gocheck: $(GO_SOURCES)
	cd tests/drivers/go && $(GO) build -o bin/gocheck .
tests/drivers/go/bin/gocheck-v2: $(GO_SOURCES)
	cd tests/drivers/go && $(GO) build -tags gocqlv2 -o bin/gocheck-v2 .

CQL_TARGETS ?= cqld
CQLD ?= $(VENV)/bin/cqld

driver-test: build tests/drivers/node/node_modules/.installed $(JAVA_CHECK) $(GO_CHECK)
	CQLD=$(CQLD) CQL_TARGETS=$(CQL_TARGETS) $(PY) -m pytest -q tests/drivers

# CQL conformance cases (tests/conformance/): TARGET=cqld starts a fresh in-memory cqld,
# TARGET=cassandra uses the node at CASSANDRA_HOST:CASSANDRA_PORT (default 127.0.0.1:19042).
TARGET ?= cqld
.PHONY: conformance conformance-cqld conformance-cassandra
conformance: conformance-$(TARGET)

conformance-cqld: build
	CQLD=$(VENV)/bin/cqld $(PY) tests/conformance/run.py --target cqld

conformance-cassandra: venv
	CASSANDRA_HOST=$${CASSANDRA_HOST:-127.0.0.1} CASSANDRA_PORT=$${CASSANDRA_PORT:-19042} \
	  $(PY) tests/conformance/run.py --target cassandra

# The Django backend's suite (tests/django/), on Django 5.2 and 4.2 LTS (each in its own venv
# under build/), once per target in CQL_TARGETS: cqld (the embedded default) or cassandra (the
# node at CASSANDRA_HOST:CASSANDRA_PORT, default 127.0.0.1:19042). Tests cqld does not pass yet
# are listed in tests/django/cqld-pending.txt and reported as xfail, not skipped. The example
# site's browser test (test_example_site.py) saves its screenshots in build/screenshots/.
.PHONY: django-test
DJANGO_VERSIONS ?= 52 42
# The Django versions run against the real Cassandra too (every version runs on cqld): make test
# keeps to the current LTS there, to stay within CI's time; DJANGO_VERSIONS_ON_CASSANDRA="52 42"
# runs both.
DJANGO_VERSIONS_ON_CASSANDRA ?= 52
SKIP_UNLISTED_ON_CASSANDRA = case " $(DJANGO_VERSIONS_ON_CASSANDRA) " in *" $$v "*) ;; *) [ $$t = cassandra ] && continue;; esac;
# The Django versions the compatibility project, Django's cache tests and Django's own suite run
# on (the backend's suite runs on every version of DJANGO_VERSIONS): make test keeps those three
# to the current LTS, since Django 4.2's support ended in April 2026 and its backend suite run
# covers the code paths that differ; DJANGO_VERSIONS_FOR_DJANGO_SUITES="52 42" runs both.
DJANGO_VERSIONS_FOR_DJANGO_SUITES ?= 52
SKIP_UNLISTED_FOR_DJANGO_SUITES = case " $(DJANGO_VERSIONS_FOR_DJANGO_SUITES) " in *" $$v "*) ;; *) continue;; esac;

build/venv-django%/.installed: tests/django/requirements-django%.txt
	@test -x build/venv-django$*/bin/python || python3 -m venv build/venv-django$*
	build/venv-django$*/bin/pip install -q --upgrade pip
	build/venv-django$*/bin/pip install -q -r $<
	@touch $@

django-test: build $(foreach v,$(DJANGO_VERSIONS),build/venv-django$(v)/.installed)
	@status=0; for v in $(DJANGO_VERSIONS); do for t in $$(echo $(CQL_TARGETS) | tr , ' '); do \
	  $(SKIP_UNLISTED_ON_CASSANDRA) \
	  echo "== Django backend suite: Django $$v, target $$t"; \
	  (cd tests/django && CQLD_BINARY=$(VENV)/bin/cqld CQL_TARGET=$$t \
	    $(ROOT)/build/venv-django$$v/bin/python -m pytest -q) || status=1; \
	done; done; exit $$status

# The same suite with TLS: certificates made in build/tls (tests/tls_certs.py), the embedded test
# server started with TLS required and the databases connecting through it (testproject/settings.py).
# It only sets CQLD_TLS_DIR (on the cassandra target the node's own CASSANDRA_TLS_DIR is used), so it
# composes with other runs' environment variables.
.PHONY: django-test-tls
django-test-tls: build
	@$(PY) tests/tls_certs.py $(ROOT)/build/tls >/dev/null
	CQLD_TLS_DIR=$(ROOT)/build/tls $(MAKE) --no-print-directory django-test

# The compatibility project (tests/compat/): a project written for django-cassandra-engine 1.x,
# run unchanged with its own `manage.py test`, on each Django version and target.
.PHONY: compat-test
compat-test: build $(foreach v,$(DJANGO_VERSIONS),build/venv-django$(v)/.installed)
	@status=0; for v in $(DJANGO_VERSIONS); do for t in $$(echo $(CQL_TARGETS) | tr , ' '); do \
	  $(SKIP_UNLISTED_ON_CASSANDRA) $(SKIP_UNLISTED_FOR_DJANGO_SUITES) \
	  echo "== Compatibility project: Django $$v, target $$t"; \
	  (cd tests/compat && CQLD_BINARY=$(VENV)/bin/cqld CQL_TARGET=$$t PYTHONPATH=$(ROOT) \
	    $(ROOT)/build/venv-django$$v/bin/python manage.py test shop -v 2) || status=1; \
	done; done; exit $$status

# Django's own cache tests (tests/cache/tests.py of Django's source distribution on PyPI, for
# the Django version of each venv) against CassandraCache (tests/cache/), on each target.
.PHONY: cache-test
build/django-tests/%/.installed: build/venv-django%/.installed
	@version=$$(build/venv-django$*/bin/python -c 'import django; print(django.get_version())'); \
	  rm -rf build/django-tests/$*; mkdir -p build/django-tests/$*/sdist; \
	  build/venv-django$*/bin/pip download -q --no-binary :all: --no-deps \
	    -d build/django-tests/$*/sdist "django==$$version" && \
	  tar -xzf build/django-tests/$*/sdist/django-$$version.tar.gz -C build/django-tests/$* \
	    --strip-components=2 django-$$version/tests/cache && \
	  echo "$$version" > $@

cache-test: build $(foreach v,$(filter $(DJANGO_VERSIONS_FOR_DJANGO_SUITES),$(DJANGO_VERSIONS)),build/django-tests/$(v)/.installed)
	@status=0; for v in $(DJANGO_VERSIONS); do for t in $$(echo $(CQL_TARGETS) | tr , ' '); do \
	  $(SKIP_UNLISTED_ON_CASSANDRA) $(SKIP_UNLISTED_FOR_DJANGO_SUITES) \
	  echo "== Django's cache tests on CassandraCache: Django $$v, target $$t"; \
	  (cd tests/cache && CQLD_BINARY=$(VENV)/bin/cqld CQL_TARGET=$$t \
	    DJANGO_TESTS_DIR=$(ROOT)/build/django-tests/$$v \
	    $(ROOT)/build/venv-django$$v/bin/python -m pytest -q) || status=1; \
	done; done; exit $$status

# Django's own test suite (tests/django_suite/), run from the source distribution of the Django
# version of DJANGO_SUITE (52 or 42), one process per app, against the backend on TARGET (cqld,
# or cassandra: the node at CASSANDRA_HOST:CASSANDRA_PORT). Prints run/passed/failed/skipped per
# app (the README's table). APPS= limits it to some apps. All apps take about 40 minutes
# on cqld. django-suite-fast (part of make test) runs the subset of fast-<version>.txt for each
# Django of DJANGO_VERSIONS_FOR_DJANGO_SUITES on each target in CQL_TARGETS, and fails on a failure that
# pending-<version>.txt does not list or on a listed test that passes.
.PHONY: django-suite django-suite-fast
DJANGO_SUITE ?= 52
APPS ?=

django-suite: build build/venv-django$(DJANGO_SUITE)/.installed
	CQLD_BINARY=$(VENV)/bin/cqld CQL_TARGET=$(TARGET) \
	  build/venv-django$(DJANGO_SUITE)/bin/python tests/django_suite/run.py $(APPS)

django-suite-fast: build $(foreach v,$(DJANGO_VERSIONS),build/venv-django$(v)/.installed)
	@status=0; for v in $(DJANGO_VERSIONS); do for t in $$(echo $(CQL_TARGETS) | tr , ' '); do \
	  $(SKIP_UNLISTED_ON_CASSANDRA) $(SKIP_UNLISTED_FOR_DJANGO_SUITES) \
	  echo "== Django's own test suite, fast subset: Django $$v, target $$t"; \
	  CQLD_BINARY=$(VENV)/bin/cqld CQL_TARGET=$$t \
	    build/venv-django$$v/bin/python tests/django_suite/run.py --fast || status=1; \
	done; done; exit $$status

# The example site (example/), with Cassandra as its only database (the embedded cqld,
# example/.cqld): notes in a DjangoCassandraModel, Django's own apps (users, groups, the admin's
# log) as Django models migrated into the same keyspace, at http://127.0.0.1:8000 with a CQL
# log at /cql/ and the admin at /admin/ (create a user once:
# `cd example && PYTHONPATH=.. ../.venv/bin/python manage.py createsuperuser`).
.PHONY: demo example
example: demo
demo: build
	cd example && PYTHONPATH=$(ROOT) $(PY) manage.py migrate
	cd example && PYTHONPATH=$(ROOT) $(PY) manage.py seed_notes
	cd example && PYTHONPATH=$(ROOT) $(PY) manage.py runserver 127.0.0.1:8000

# A real Apache Cassandra 5.0 node (tools/cassandra/): CASSANDRA_PORT (default 19042),
# CASSANDRA_AUTH=password for PasswordAuthenticator. Jars come from Maven Central once.
CASSANDRA := tools/cassandra/cassandra.sh

cassandra-start:
	@$(CASSANDRA) start

cassandra-stop:
	@$(CASSANDRA) stop

cassandra-status:
	@$(CASSANDRA) status

# Distributions, in dist/. The sdist holds the package and the engine's sources; the wheel is
# built from that sdist (so the sdist is known to build) with cqld in Release, linked statically
# to its third-party libraries and the C++ runtime (CQLD_PORTABLE) and stripped, then retagged
# by auditwheel with the manylinux tag of the newest glibc it needs. The wheel is rebuilt only
# when the sources it is made from change.
DIST_SOURCES := pyproject.toml README.md engine/CMakeLists.txt \
  $(shell find engine/cmake engine/src django_cassandra_engine -type f -not -name '*.pyc')

sdist: venv
	rm -f dist/django_cassandra_engine-*.tar.gz
	$(PY) -m build --sdist --outdir dist

build/dist/.built: $(DIST_SOURCES) | deps venv
	rm -rf build/dist dist/django_cassandra_engine-*
	CMAKE_BUILD_PARALLEL_LEVEL=$(JOBS) $(PY) -m build --outdir build/dist \
	  -C cmake.define.CQLD_PORTABLE=ON
	PATH=$(VENV)/bin:$$PATH auditwheel repair --wheel-dir dist build/dist/*.whl
	cp build/dist/*.tar.gz dist/
	@ls -l dist
	@touch $@

wheel: build/dist/.built

# tests/packaging/: the wheel's tag, cqld's libraries, a fresh virtualenv holding only the
# wheel running a new project's five steps (on each target in CQL_TARGETS), the sdist.
wheel-test: wheel
	CQL_TARGETS=$(CQL_TARGETS) $(PY) -m pytest -q tests/packaging

# Suites that run against cqld and a real Cassandra. The node is started for them (unless one
# is already up) and stopped afterwards, also when a suite fails.
CASSANDRA_SUITES := driver-test django-test compat-test cache-test django-suite-fast \
  conformance-cqld conformance-cassandra wheel-test

tests-with-cassandra: build
	@started=; $(CASSANDRA) status 2>/dev/null || { $(CASSANDRA) start || exit 1; started=1; }; \
	status=0; for suite in $(CASSANDRA_SUITES); do start=$$(date +%s); \
	  $(MAKE) --no-print-directory $$suite CQL_TARGETS=cqld,cassandra || { status=$$?; break; }; \
	  echo "== make $$suite: $$(( $$(date +%s) - start )) s"; done; \
	if [ -n "$$started" ]; then $(CASSANDRA) stop; fi; exit $$status

# Authentication and authorization (README "Authentication, roles and permissions"): the auth/
# conformance files, the auth driver tests and the Django suite (DJANGO_VERSIONS_ON_CASSANDRA) with
# authentication, on cqld (--authenticator password --authorizer cassandra, and the Django suite
# with TLS required too, as production settings combine them) and on a Cassandra with
# PasswordAuthenticator and CassandraAuthorizer on AUTH_CASSANDRA_PORT: a node of its own
# (started unless one is up, stopped afterwards), since make test's shared node runs without.
# make test runs the cqld half of the driver tests and conformance files through conformance-cqld
# and driver-test.
AUTH_CASSANDRA_PORT ?= 19142
AUTH_ENV = CASSANDRA_AUTH=password CASSANDRA_PORT=$(AUTH_CASSANDRA_PORT) CASSANDRA_USER=cassandra \
  CASSANDRA_PASSWORD=cassandra
.PHONY: auth-test
auth-test: build tests/drivers/node/node_modules/.installed \
  $(foreach v,$(DJANGO_VERSIONS_ON_CASSANDRA),build/venv-django$(v)/.installed)
	@started=; $(AUTH_ENV) $(CASSANDRA) status 2>/dev/null || { $(AUTH_ENV) $(CASSANDRA) start || exit 1; started=1; }; \
	status=0; \
	$(AUTH_ENV) $(PY) tests/conformance/run.py tests/conformance/cases/auth --target cqld || status=1; \
	$(AUTH_ENV) $(PY) tests/conformance/run.py tests/conformance/cases/auth --target cassandra || status=1; \
	$(AUTH_ENV) CQLD=$(CQLD) CQL_TARGETS=cqld,cassandra $(PY) -m pytest -q tests/drivers/test_auth.py \
	  tests/drivers/test_auth_tls.py || status=1; \
	$(PY) tests/tls_certs.py $(ROOT)/build/tls >/dev/null || status=1; \
	for v in $(DJANGO_VERSIONS_ON_CASSANDRA); do for t in cqld cassandra; do \
	  tls=; [ $$t = cqld ] && tls="CQLD_TLS_DIR=$(ROOT)/build/tls"; \
	  echo "== Django backend suite with authentication$${tls:+ and TLS}: Django $$v, target $$t"; \
	  (cd tests/django && env $(AUTH_ENV) $$tls CQL_AUTH=password CQLD_BINARY=$(CQLD) CQL_TARGET=$$t \
	    $(ROOT)/build/venv-django$$v/bin/python -m pytest -q) || status=1; \
	done; done; \
	if [ -n "$$started" ]; then $(AUTH_ENV) $(CASSANDRA) stop; fi; exit $$status

# Durability (tests/durability/): cqld processes of its own on failing disks (a real full tmpfs;
# power loss and failed syncs are in engine/tests/durability, run by unit-test).
.PHONY: durability-test
durability-test: build
	CQLD=$(CQLD) $(PY) -m pytest -q tests/durability

# The sanitized build (engine/cmake/Sanitizers.cmake): clang with ASan and UBSan, in a build
# directory of its own, holding cqld, the unit tests and the libFuzzer targets (engine/fuzz/).
SANITIZE_DIR := $(ROOT)/build/sanitize
.PHONY: sanitize-build sanitize-test sanitize-driver-test fuzz fuzz-smoke fuzz-replay

sanitize-build: deps
	cmake -S engine -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 -DCQLD_BUILD_FUZZ=ON
	cmake --build $(SANITIZE_DIR) -j $(JOBS)

# The unit tests and driver tests against the sanitized cqld; any report fails. make test
# (sanitize-test) runs the driver tests of hostile input and of the protocol's answers;
# sanitize-driver-test runs every driver test.
SANITIZE_DRIVER_TESTS ?= tests/drivers/test_bad_input.py tests/drivers/test_resource_bounds.py \
  tests/drivers/test_prepared_metadata.py tests/drivers/test_python_driver.py
sanitize-test: sanitize-build venv
	JOBS=$(JOBS) DRIVER_TESTS="$(SANITIZE_DRIVER_TESTS)" tools/sanitize-test.sh $(SANITIZE_DIR)

sanitize-driver-test: sanitize-build venv tests/drivers/node/node_modules/.installed $(JAVA_CHECK) $(GO_CHECK)
	JOBS=$(JOBS) tools/sanitize-test.sh $(SANITIZE_DIR)

# Fuzzing (engine/fuzz/README.md). fuzz-smoke (in make test) replays the saved corpus and runs
# each target for FUZZ_SMOKE_SECONDS; fuzz runs each for FUZZ_SECONDS, FUZZ_PARALLEL at once.
FUZZ_SECONDS ?= 600
FUZZ_SMOKE_SECONDS ?= 8
FUZZ_PARALLEL ?= 1

fuzz-replay: sanitize-build venv
	PYTHON=$(PY) engine/fuzz/run.sh replay $(SANITIZE_DIR)

fuzz-smoke: sanitize-build venv
	PYTHON=$(PY) FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) engine/fuzz/run.sh smoke $(SANITIZE_DIR)

fuzz: sanitize-build venv
	PYTHON=$(PY) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_PARALLEL=$(FUZZ_PARALLEL) engine/fuzz/run.sh campaign $(SANITIZE_DIR)

# The stages of make test, in order; each one's time is printed as it ends.
TEST_STAGES := unit-test durability-test tests-with-cassandra sanitize-test fuzz-smoke
test:
	@for stage in $(TEST_STAGES); do start=$$(date +%s); \
	  $(MAKE) --no-print-directory $$stage || exit $$?; \
	  echo "== make $$stage: $$(( $$(date +%s) - start )) s"; done

# The long reliability runs, none of them in make test (README "Reliability").
# stress: the SIGKILL cycles of tests/durability/test_kill_recovery.py, STRESS_CYCLES per sync
# mode and kind of kill (make test runs 10 of each, 40 in all).
STRESS_CYCLES ?= 100
.PHONY: stress soak test-cluster
stress: build
	CQLD=$(CQLD) CRASH_CYCLES=$(STRESS_CYCLES) $(PY) -m pytest -q -s -p no:logging tests/durability/test_kill_recovery.py

# soak: SOAK_SECONDS (default 1800) of mixed load on one cqld, RSS and latency sampled; the
# report goes to bench/results/soak-*.md and .json.
soak: build
	CQLD=$(CQLD) $(PY) tests/durability/soak.py

# test-cluster: the Django suite (Django 5.2) against a 3-node Cassandra cluster on 127.0.0.1-3
# (CLUSTER_PORT, default 19742), replication factor 3, QUORUM, one node SIGKILLed mid-run.
test-cluster: venv build/venv-django52/.installed
	PYTHON=build/venv-django52/bin/python tools/cassandra/test-cluster.sh

# Benchmarks build in Release in a directory of their own, so they never disturb the test build.
BENCH_DIR := $(ROOT)/build/bench

bench: deps venv
	cmake -S engine -B $(BENCH_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DCQLD_BUILD_BENCH=ON -DCQLD_BUILD_TESTS=OFF
	cmake --build $(BENCH_DIR) -j $(JOBS) --target cqld_bench
	tools/run-bench.sh $(BENCH_DIR)/cqld_bench bench/results

# The load benchmark (bench/load/run.py): latte, a third-party CQL load generator, against cqld on
# disk and in memory and a real Cassandra on BENCH_CASSANDRA_PORT, interleaved; results in
# bench/results/load-*.md. latte is built once with the machine's cargo into build/tools/latte.
# BENCH_LOAD_ARGS passes options (--quick, --batch, --workloads, --repetitions, --duration).
LATTE := build/tools/latte/bin/latte
LATTE_VERSION := 0.29.0
BENCH_CASSANDRA_PORT ?= 19062
$(LATTE):
	cargo install --locked --root build/tools/latte latte-cli --version $(LATTE_VERSION)

.PHONY: bench-load
bench-load: build $(LATTE)
	@tools/install-deps.sh --bench
	$(PY) bench/load/run.py --latte $(LATTE) --cqld $(CQLD) --cassandra-port $(BENCH_CASSANDRA_PORT) $(BENCH_LOAD_ARGS)

# Common ORM operations on Django models (bench/orm/run.py) in the embedded cqld and in SQLite,
# side by side; BENCH_CASSANDRA=host:port measures a Cassandra node instead of cqld.
.PHONY: bench-orm
bench-orm: build
	$(PY) bench/orm/run.py $(if $(BENCH_CASSANDRA),--cassandra $(BENCH_CASSANDRA) --output bench/orm/results-cassandra.md)

clean:
	rm -rf build dist
