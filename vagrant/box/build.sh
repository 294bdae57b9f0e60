#!/usr/bin/env bash
# Builds a Debian 12 (bookworm) box for the vagrant-libvirt provider from Debian's packages
# alone: no image registry, no Vagrant Cloud, no GitHub. The `linux` node profile's tools are
# baked in (packages.txt), so labs made from it work offline.
#
#   sudo vagrant/box/build.sh OUT.box            (root: it mounts a loop device)
#
# Environment: DEBIAN_MIRROR (default: the host's first Debian source, else deb.debian.org),
# BOX_DISK_GIB (default 8), BOX_WORK_DIR (default: a directory under /var/tmp).
#
# Why it works the way it does: losetup -P makes no partition devices and nbd cannot be
# loaded on every build machine (containers, Firecracker VMs), so the disk is a raw file with
# one MBR partition, a loop device at the partition's offset, debootstrap into it, and
# extlinux as the bootloader (grub-install needs the partition device). See
# docs/backend-vagrant.md, "The box".
set -euo pipefail

OUT=${1:-}
if [ -z "$OUT" ]; then
  echo "usage: sudo $0 OUT.box" >&2
  exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "build.sh: needs root (it mounts a loop device): sudo $0 $OUT" >&2
  exit 1
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
for tool in debootstrap sfdisk losetup mkfs.ext4 extlinux qemu-img tar; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build.sh: $tool is missing: apt-get install -y debootstrap fdisk extlinux syslinux-common qemu-utils" >&2
    exit 1
  fi
done
MBR=/usr/lib/syslinux/mbr/mbr.bin
if [ ! -f "$MBR" ]; then
  echo "build.sh: $MBR is missing: apt-get install -y syslinux-common" >&2
  exit 1
fi
# The Vagrant insecure public key: the guest trusts it until `vagrant up` swaps in a lab key.
VAGRANT_PUB=$(find /usr/share/rubygems-integration /usr/lib/ruby /opt/vagrant \
  -path '*vagrant-*/keys/vagrant.pub' 2>/dev/null | head -n 1 || true)
if [ -z "$VAGRANT_PUB" ]; then
  echo "build.sh: Vagrant's insecure public key (keys/vagrant.pub) was not found: apt-get install -y vagrant" >&2
  exit 1
fi

mirror_from_host() {
  local m
  m=$(grep -hsE '^(deb |URIs:)' /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources |
    grep -v security | grep -oE 'https?://[^ ]+/debian/?' | head -n 1 || true)
  echo "${m:-http://deb.debian.org/debian}"
}
MIRROR=${DEBIAN_MIRROR:-$(mirror_from_host)}
DISK_GIB=${BOX_DISK_GIB:-8}
WORK=$(mktemp -d "${BOX_WORK_DIR:-/var/tmp}/clusterlab-box.XXXXXX")
ROOT="$WORK/root"
LOOP=""

log() { echo "build.sh: $*" >&2; }
cleanup() {
  set +e
  for m in "$ROOT/proc" "$ROOT/sys" "$ROOT/dev/pts" "$ROOT/dev" "$ROOT"; do
    mountpoint -q "$m" && umount -l "$m"
  done
  [ -n "$LOOP" ] && losetup -d "$LOOP"
  rm -rf "$WORK"
}
trap cleanup EXIT

PACKAGES=$(grep -vE '^\s*(#|$)' "$HERE/packages.txt" | tr '\n' ',' | sed 's/,$//')

log "disk: ${DISK_GIB} GiB sparse raw file with one bootable MBR partition"
truncate -s "${DISK_GIB}G" "$WORK/disk.raw"
echo 'start=2048, type=83, bootable' | sfdisk --quiet "$WORK/disk.raw"
LOOP=$(losetup --find --show --offset $((2048 * 512)) --sizelimit $((DISK_GIB * 1024 * 1024 * 1024 - 2048 * 512)) "$WORK/disk.raw")
# syslinux reads neither 64-bit ext4 nor metadata checksums.
mkfs.ext4 -q -L root -O ^64bit,^metadata_csum "$LOOP"
mkdir -p "$ROOT"
mount "$LOOP" "$ROOT"

log "debootstrap bookworm from $MIRROR (about a minute)"
debootstrap --variant=minbase --include="$PACKAGES" bookworm "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 || {
  tail -n 30 "$WORK/debootstrap.log" >&2
  log "debootstrap failed (the end of its log is above)"
  exit 1
}

log "guest setup: vagrant user, network, ssh, first-boot identity"
mount -t proc proc "$ROOT/proc"
mount -t sysfs sys "$ROOT/sys"
mount --bind /dev "$ROOT/dev"
in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

echo 'LABEL=root / ext4 errors=remount-ro 0 1' >"$ROOT/etc/fstab"
echo debian12 >"$ROOT/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tdebian12\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"
cat >"$ROOT/etc/network/interfaces" <<'EOF'
source /etc/network/interfaces.d/*

auto lo
iface lo inet loopback

allow-hotplug eth0
iface eth0 inet dhcp
EOF
# On first boot ifup@eth1 runs before Vagrant writes eth1's stanza and fails, which marks the
# system "degraded"; an interface without a stanza is not a failure here.
mkdir -p "$ROOT/etc/systemd/system/ifup@.service.d"
cat >"$ROOT/etc/systemd/system/ifup@.service.d/clusterlab.conf" <<'EOF'
[Service]
ExecStart=
ExecStart=-/bin/sh -c 'ifup --allow=hotplug %I; ifquery --state %I || true'
EOF

in_root useradd --create-home --shell /bin/bash --groups sudo vagrant
echo 'vagrant:vagrant' | in_root chpasswd
install -d -m 0700 -o 1000 -g 1000 "$ROOT/home/vagrant/.ssh"
install -m 0600 -o 1000 -g 1000 "$VAGRANT_PUB" "$ROOT/home/vagrant/.ssh/authorized_keys"
echo 'vagrant ALL=(ALL) NOPASSWD:ALL' >"$ROOT/etc/sudoers.d/vagrant"
chmod 0440 "$ROOT/etc/sudoers.d/vagrant"
# No reverse DNS on login (the management network has no resolver): logins take 10 ms, not 10 s.
echo 'UseDNS no' >"$ROOT/etc/ssh/sshd_config.d/clusterlab.conf"

# Every VM made from the box gets its own identity: machine-id and SSH host keys.
: >"$ROOT/etc/machine-id"
rm -f "$ROOT/var/lib/dbus/machine-id" "$ROOT"/etc/ssh/ssh_host_*
cat >"$ROOT/etc/systemd/system/clusterlab-ssh-host-keys.service" <<'EOF'
[Unit]
Description=Make this machine's SSH host keys on first boot
ConditionPathExists=!/etc/ssh/ssh_host_ed25519_key
Before=ssh.service

[Service]
Type=oneshot
ExecStart=/usr/bin/ssh-keygen -A

[Install]
WantedBy=multi-user.target
EOF
in_root systemctl enable clusterlab-ssh-host-keys.service >/dev/null 2>&1

log "bootloader: extlinux with the kernel on ttyS0"
KERNEL=$(find "$ROOT/boot" -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' | sort -V | tail -n 1)
INITRD=initrd.img-${KERNEL#vmlinuz-}
mkdir -p "$ROOT/boot/extlinux"
cat >"$ROOT/boot/extlinux/extlinux.conf" <<EOF
DEFAULT debian
TIMEOUT 1
LABEL debian
  LINUX /boot/$KERNEL
  INITRD /boot/$INITRD
  APPEND root=LABEL=root ro net.ifnames=0 biosdevname=0 console=tty0 console=ttyS0,115200
EOF
extlinux --install "$ROOT/boot/extlinux" >/dev/null 2>&1

in_root apt-get clean
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/log/*.log "$ROOT/tmp/"*
for m in "$ROOT/proc" "$ROOT/sys" "$ROOT/dev"; do umount "$m"; done
# Zeroed free space compresses away in the qcow2 image.
fstrim "$ROOT" >/dev/null 2>&1 || true
umount "$ROOT"
losetup -d "$LOOP"
LOOP=""
dd if="$MBR" of="$WORK/disk.raw" bs=440 count=1 conv=notrunc status=none

log "packaging: qcow2 image + metadata.json + Vagrantfile"
mkdir -p "$WORK/box"
qemu-img convert -c -O qcow2 "$WORK/disk.raw" "$WORK/box/box.img"
printf '{"provider":"libvirt","format":"qcow2","virtual_size":%s}\n' "$DISK_GIB" >"$WORK/box/metadata.json"
cat >"$WORK/box/Vagrantfile" <<'EOF'
# The clusterlab Debian 12 box (vagrant/box/build.sh). Software emulation needs a CPU model
# a Debian kernel boots on; the lab's Vagrantfile says the same, this helps hand-made ones.
Vagrant.configure("2") do |config|
  config.vm.provider :libvirt do |lv|
    lv.disk_bus = "virtio"
  end
end
EOF
mkdir -p "$(dirname "$OUT")"
tar -C "$WORK/box" -cf "$OUT.tmp" metadata.json Vagrantfile box.img
mv "$OUT.tmp" "$OUT"
log "done: $OUT ($(du -m "$OUT" | cut -f1) MiB)"
