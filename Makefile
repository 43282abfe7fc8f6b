.PHONY: help install run test lint bench
help:  ## this list
	@grep -E '^[a-z]+:.*##' Makefile | sed 's/:.*## /\t/'
install:  ## install everything (Debian packages, .venv, npm assets)
	bash scripts/install.sh
run:  ## install, migrate, seed demo data once, start web + scheduler on :5000
	bash scripts/run.sh
test:  ## install and run the whole suite (SQLite, then PostgreSQL)
	bash scripts/test.sh
lint:  ## ruff
	.venv/bin/ruff check wki tests bench config.py run.py
bench:  ## benchmarks (not part of the test run)
	@for b in bench/bench_*.py; do [ -e "$$b" ] && .venv/bin/python "$$b"; done
