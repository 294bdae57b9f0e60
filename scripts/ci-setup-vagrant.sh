#!/usr/bin/env bash
# What the Vagrant backend's suites need (test/backends/vagrant-*.test.ts): Vagrant with the
# libvirt provider, QEMU, the libvirt daemons and their default network, the box builder's
# tools, and shellcheck for the provisioning scripts. Idempotent; needs root (CI runs as root).
# There is no systemd on the CI machines, so the daemons are started by hand and left running;
# they log to /var/log/libvirt/ (libvirtd's own output goes to $LIBVIRTD_LOG).
# Facts behind the choices: docs/backend-vagrant.md.
set -euo pipefail

LIBVIRTD_LOG=/tmp/libvirtd.log
have() { command -v "$1" >/dev/null 2>&1; }
say() { echo "ci-setup-vagrant: $*" >&2; }

if ! have apt-get; then
  say "no apt-get here; install vagrant, vagrant-libvirt, libvirt and QEMU yourself (docs/backend-vagrant.md)"
  exit 1
fi

PACKAGES=(
  qemu-system-x86 qemu-utils
  vagrant vagrant-libvirt
  libvirt-daemon-system libvirt-clients libvirt-daemon-driver-qemu
  dnsmasq-base iptables ebtables
  debootstrap extlinux syslinux-common fdisk
  openssh-client shellcheck ruby procps
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (about 2 minutes)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
    { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
fi

# Without udev (no systemd), /dev/kvm keeps mode 0600 root:root, while Debian's udev rule
# makes it 0660 root:kvm. libvirt then probes QEMU with KVM (as root) but finds KVM unusable
# for its QEMU user, calls its capability cache stale on every lookup and re-probes QEMU each
# time (about 20 s per call; `vagrant up` spends minutes there). The udev rule's mode ends that.
# The VMs still run under TCG when the CPU has no vmx/svm (clusterlab picks the qemu driver).
if [ -c /dev/kvm ] && getent group kvm >/dev/null; then
  chgrp kvm /dev/kvm && chmod 0660 /dev/kvm
fi

# libvirtd needs virtlogd (QEMU's console logs) and virtlockd; -d daemonises each.
pgrep -x virtlogd >/dev/null || virtlogd -d
pgrep -x virtlockd >/dev/null || virtlockd -d
if ! pgrep -x libvirtd >/dev/null; then
  say "starting libvirtd (log: $LIBVIRTD_LOG)"
  nohup libvirtd >"$LIBVIRTD_LOG" 2>&1 &
fi
for _ in $(seq 1 30); do
  virsh -c qemu:///system version >/dev/null 2>&1 && break
  sleep 1
done
if ! virsh -c qemu:///system version >/dev/null 2>&1; then
  say "libvirtd did not answer within 30 s; the end of $LIBVIRTD_LOG:"
  tail -n 30 "$LIBVIRTD_LOG" >&2 || true
  exit 1
fi

# The default network is what `virsh` users expect; vagrant-libvirt makes its own networks.
# (Lists are read into variables first: `virsh … | grep -q` under pipefail fails when grep
# exits early and virsh gets SIGPIPE; pool-list pads names with spaces.)
active_nets=$(virsh -c qemu:///system net-list --name)
if virsh -c qemu:///system net-info default >/dev/null 2>&1 && ! grep -qxE 'default\s*' <<<"$active_nets"; then
  virsh -c qemu:///system net-start default >/dev/null
fi
# vagrant-libvirt makes the `default` storage pool when it is missing; make it here so the
# first `vagrant up` does not race another one.
if ! virsh -c qemu:///system pool-info default >/dev/null 2>&1; then
  mkdir -p /var/lib/libvirt/images
  virsh -c qemu:///system pool-define-as default dir --target /var/lib/libvirt/images >/dev/null
  virsh -c qemu:///system pool-autostart default >/dev/null
fi
active_pools=$(virsh -c qemu:///system pool-list --name)
grep -qxE 'default\s*' <<<"$active_pools" || virsh -c qemu:///system pool-start default >/dev/null

say "vagrant $(vagrant --version | awk '{print $2}'), libvirt $(virsh -c qemu:///system version --daemon 2>/dev/null | awk '/daemon/ {print $NF}'), $(qemu-system-x86_64 --version | head -n 1)"
