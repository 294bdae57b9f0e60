#!/usr/bin/env bash
# The `linux` node profile: a plain Linux machine with the tools the namespaces, cgroups and
# CNI scenarios use. Everything comes from Debian's packages; the clusterlab box has them
# baked in (vagrant/box/packages.txt), so on that box nothing is downloaded and the lab works
# offline. On another Debian box the missing packages are installed (that needs a mirror).
set -euo pipefail

# command → the Debian package that provides it
declare -A TOOLS=(
  [ip]=iproute2
  [unshare]=util-linux
  [nsenter]=util-linux
  [lsns]=util-linux
  [runc]=runc
  [tcpdump]=tcpdump
  [iptables]=iptables
  [bridge]=iproute2
  [ping]=iputils-ping
)
CNI_DIR=/usr/lib/cni
missing=()
for cmd in "${!TOOLS[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${TOOLS[$cmd]}")
done
[ -x "$CNI_DIR/bridge" ] || missing+=(containernetworking-plugins)
if [ ${#missing[@]} -gt 0 ]; then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  echo "linux: installing ${missing[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# CNI plugins where the scenarios (and most tutorials) look for them.
if [ ! -e /opt/cni/bin ]; then
  mkdir -p /opt/cni
  ln -s "$CNI_DIR" /opt/cni/bin
fi
mkdir -p /etc/cni/net.d

if [ "$(stat -fc %T /sys/fs/cgroup)" != cgroup2fs ]; then
  echo "linux: /sys/fs/cgroup is not cgroup v2; the cgroups scenarios expect the unified hierarchy" >&2
  exit 1
fi
echo "linux: ready ($(uname -r), cgroup v2, runc $(runc --version | awk 'NR==1 {print $3}'))"
