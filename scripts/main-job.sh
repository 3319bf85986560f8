#!/usr/bin/env bash
# Installs what is missing, builds, and runs the office's main job on the shipped plans.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
duban_install_deps
duban_build
./build/cli/duban plan check plans/*.yaml
./build/cli/duban plan show plans/jiujiang.yaml
