# Sourced by the other scripts: installs the Debian packages duban needs, if missing.
DUBAN_PACKAGES="build-essential cmake pkg-config libboost-graph-dev libyaml-cpp-dev \
libsqlitecpp-dev libsqlite3-dev sqlite3 libcli11-dev catch2 nlohmann-json3-dev nettle-dev libxlsxwriter-dev zlib1g-dev libcurl4-openssl-dev \
graphviz python3-icalendar unzip python3-openpyxl chromium fonts-noto-cjk poppler-utils"

duban_install_deps() {
  local missing=""
  for p in $DUBAN_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "duban: installing$missing" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

duban_build() {
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j"$(nproc)"
}
