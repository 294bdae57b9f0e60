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

# Docker: the kind backend's suites drive the real engine (dockerode) and build their test
# images from the host's static busybox with `docker import` (no registry is reachable in CI).
# There is no systemd here, so dockerd is started by hand and left running.
if ! have dockerd || ! have docker; then
  echo "ci-setup: installing docker.io" >&2
  apt_install docker.io
fi
if ! have busybox && [ ! -x /bin/busybox ]; then
  echo "ci-setup: installing busybox-static (the Docker tests' image is made from it)" >&2
  apt_install busybox-static
fi
DOCKERD_LOG=/tmp/dockerd.log
if ! docker info >/dev/null 2>&1; then
  if have pgrep && pgrep -x dockerd >/dev/null 2>&1; then
    echo "ci-setup: dockerd is running but does not answer yet; waiting" >&2
  else
    echo "ci-setup: starting dockerd (log: $DOCKERD_LOG)" >&2
    nohup dockerd >"$DOCKERD_LOG" 2>&1 &
  fi
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    echo "ci-setup: dockerd did not answer within 60 s; the end of $DOCKERD_LOG:" >&2
    tail -n 30 "$DOCKERD_LOG" >&2 || true
    exit 1
  fi
fi
echo "ci-setup: docker $(docker version --format '{{.Server.Version}}' 2>/dev/null) answers (a dockerd this script starts logs to $DOCKERD_LOG)"
bash "$(dirname "${BASH_SOURCE[0]}")/ci-setup-vagrant.sh"  # the Vagrant backend: vagrant-libvirt, QEMU, libvirtd, shellcheck

# tmux: the terminal app's end-to-end test runs clusterlab in a real terminal (send-keys, capture-pane).
if ! have tmux; then
  echo "ci-setup: installing tmux (the terminal app's end-to-end test runs in it)" >&2
  apt_install tmux
fi
echo "ci-setup: $(tmux -V)"
