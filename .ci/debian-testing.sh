#!/usr/bin/env bash
# Fetch Prometheus 3.x, promtool, Alertmanager and the Pushgateway from
# Debian's testing suite (unstable as a fallback) into a cache folder,
# without touching the system: a private sources list built from the mirror
# the system's own apt sources name, private lists and cache, `apt-get
# download` and `dpkg-deb -x`. The binaries need only libc.
#
# Prints the folder holding the binaries (…/root/usr/bin) on stdout.
set -euo pipefail

cache="${GPUCHARTS_MON_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gpucharts-mon}/debian-testing"
bin="$cache/root/usr/bin"
packages=(prometheus promtool prometheus-alertmanager prometheus-pushgateway)

if [ -x "$bin/prometheus" ] && [ -x "$bin/promtool" ] && [ -x "$bin/amtool" ] \
  && [ -x "$bin/prometheus-pushgateway" ]; then
  echo "$bin"
  exit 0
fi

# The mirror the system already uses: deb822 sources first, then the
# one-line format; never a hard-coded host.
mirror=""
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  mirror=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$f")
  [ -n "$mirror" ] && break
done
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)
fi
if [ -z "$mirror" ]; then
  echo "debian-testing: no Debian mirror found in the system's apt sources" >&2
  exit 1
fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

rm -rf "$cache.tmp"
mkdir -p "$cache.tmp"/{sources.d,prefs.d,lists/partial,cache/archives/partial,debs,root}
opts=(
  -o "Dir::Etc::SourceList=/dev/null"
  -o "Dir::Etc::SourceParts=$cache.tmp/sources.d"
  -o "Dir::Etc::Preferences=/dev/null"
  -o "Dir::Etc::PreferencesParts=$cache.tmp/prefs.d"
  -o "Dir::State::Lists=$cache.tmp/lists"
  -o "Dir::Cache=$cache.tmp/cache"
  -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=root"
)
fetched=""
for suite in testing unstable; do
  rm -f "$cache.tmp"/sources.d/*.sources "$cache.tmp"/debs/*.deb
  printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' \
    "$mirror" "$suite" "$keyring" > "$cache.tmp/sources.d/debian-$suite.sources"
  if apt-get "${opts[@]}" -qq update >&2 \
    && (cd "$cache.tmp/debs" && apt-get "${opts[@]}" -qq download "${packages[@]}" >&2); then
    fetched="$suite"
    break
  fi
  echo "debian-testing: $suite did not give ${packages[*]}; trying the next suite" >&2
done
if [ -z "$fetched" ]; then
  echo "debian-testing: could not download ${packages[*]}" >&2
  exit 1
fi
for deb in "$cache.tmp"/debs/*.deb; do
  dpkg-deb -x "$deb" "$cache.tmp/root"
done
for tool in prometheus promtool amtool prometheus-alertmanager prometheus-pushgateway; do
  if ! [ -x "$cache.tmp/root/usr/bin/$tool" ]; then
    echo "debian-testing: $tool missing after extraction" >&2
    exit 1
  fi
done
rm -rf "$cache"
mv "$cache.tmp" "$cache"
echo "$bin"
