#!/usr/bin/env sh
# Regenerates the lock files from pyproject.toml's ranges (newest versions they allow, with
# hashes), for the workflows' reproducible installs. Needs uv (`pip install uv`).
#   sh requirements/refresh.sh
set -eu
cd "$(dirname "$0")/.."
common="--universal --python-version 3.11 --generate-hashes --quiet"
# shellcheck disable=SC2086
uv pip compile pyproject.toml $common --output-file requirements/publication.txt
# shellcheck disable=SC2086
uv pip compile pyproject.toml --extra test $common --output-file requirements/tests.txt
