#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
duban_install_deps
duban_build
ctest --test-dir build --output-on-failure --verbose
