#!/usr/bin/env bash
# Installs what is missing, builds, and runs the office's main job on the shipped plans:
# check every plan, build the Jiujiang example store under demo/ (sixteen months of
# reports from several bureaus), show its state board, preview the reminders and write
# the weekly bulletin.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
duban_install_deps
duban_build
duban=$PWD/build/cli/duban
$duban plan check plans/*.yaml
$duban plan show plans/jiujiang.yaml

rm -rf demo && mkdir demo
bash plans/examples/jiujiang-history.sh demo/duban.db "$duban" 2>/dev/null
export DUBAN_DB=demo/duban.db DUBAN_TODAY=2025-07-10
$duban plan list
$duban status
$duban remind --dry-run --channel stdout | head -40 || true
$duban audit verify
$duban report bulletin --format html -o demo/bulletin.html
$duban report bulletin --format md -o demo/bulletin.md
head -20 demo/bulletin.md
