#!/bin/sh
# tools/deps.sh - install the Debian packages charcheck needs to build and
# test, but only those missing.  Run by `make run` and `make check`, so that
# either works as the first command on a fresh Debian machine (as root).
set -eu
PKGS="gcc make pkg-config bison flex libglpk-dev libgmp-dev libjson-c-dev libxml2-dev
	libxml2-utils libcmocka-dev python3"
[ "${1:-}" = "--bench" ] && PKGS="$PKGS gringo"
# `make check` only: Neovim is the language server's test client.
[ "${1:-}" = "--check" ] && PKGS="$PKGS neovim"
missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "charcheck: missing build dependencies:$missing" >&2
	echo "charcheck: install them with: sudo apt-get install$missing" >&2
	exit 1
fi
echo "charcheck: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
