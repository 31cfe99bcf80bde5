#!/usr/bin/env bash
# Installs the third-party peers the tests run against, from Debian's
# packages, when they are missing: Perl Net::SMPP (libnet-smpp-perl) and
# Kannel (bearerbox, smsbox), sipp (sip-tester) and Kamailio with its
# WebSocket modules. Called by scripts/test; safe to run again.
set -euo pipefail
missing=()
perl -MNet::SMPP -e 1 2>/dev/null || missing+=(libnet-smpp-perl)
[ -x /usr/sbin/bearerbox ] && [ -x /usr/sbin/smsbox ] || missing+=(kannel)
command -v sipp >/dev/null || missing+=(sip-tester)
[ -x /usr/sbin/kamailio ] || missing+=(kamailio)
[ -e /usr/lib/x86_64-linux-gnu/kamailio/modules/websocket.so ] ||
  [ -e /usr/lib/aarch64-linux-gnu/kamailio/modules/websocket.so ] || missing+=(kamailio-websocket-modules)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "test_deps: installing ${missing[*]} from Debian" >&2
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
install() {
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "$@"
}
if ! install "${missing[@]}" >/dev/null 2>&1; then
  "${sudo[@]}" apt-get update -q >/dev/null
  install "${missing[@]}" >/dev/null || {
    echo "test_deps: cannot install ${missing[*]} (apt-get failed); the interoperability tests need them" >&2
    exit 1
  }
fi
