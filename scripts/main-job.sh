#!/usr/bin/env bash
# Installs what is missing, builds, and runs the office's main job on the shipped plans:
# check every plan, load the Jiujiang plan into a fresh store under demo/, record a few
# reports as bureaus would, and show the plan's state.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
duban_install_deps
duban_build
duban=./build/cli/duban
$duban plan check plans/*.yaml
$duban plan show plans/jiujiang.yaml

rm -rf demo && mkdir demo
export DUBAN_DB=demo/duban.db DUBAN_TODAY=2025-06-30
$duban init --token-out demo/office.token
export DUBAN_TOKEN=$(cat demo/office.token)
$duban plan load plans/jiujiang.yaml
$duban update 2.1 --as 市科技局 --status in_progress --progress 40 --note "组织高价值专利培育申报"
$duban update 3.3 --as 市金融办 --status blocked --note "风险补偿资金尚未到位"
$duban update 4.4 --as 市市场监管局〔知识产权局〕 --status done --note "12315平台知识产权模块已上线"
$duban accept 4.4
$duban indicator record invention-per-10k 7.12 --as-of 2024-12-31 --as jj-amr --note "2024年统计公报"
$duban plan list
$duban tasks --plan jiujiang-2024 --unit 市市场监管局〔知识产权局〕
$duban audit verify
