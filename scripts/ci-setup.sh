#!/usr/bin/env bash
# System tools the test suites drive for real. Idempotent; needs root (CI runs as root).
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
  if ! have apt-get; then
    echo "ci-setup: cannot install $* (no apt-get); install it yourself" >&2
    return 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null ||
    { DEBIAN_FRONTEND=noninteractive apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >/dev/null; }
}

# kubectl: these machines carry google-cloud-cli's kubectl (1.27–1.33). Debian's own
# kubernetes-client (1.20) is the only other package source, and too old for the suites,
# which then fail with a message that says so.
if ! have kubectl; then
  echo "ci-setup: kubectl not found; installing Debian's kubernetes-client as a last resort" >&2
  apt_install kubernetes-client
fi
echo "ci-setup: kubectl $(kubectl version --client 2>/dev/null | head -1)"
