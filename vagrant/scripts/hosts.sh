#!/usr/bin/env bash
# The node's identity: its own name (NODE_NAME), every node known to every other by name
# (arguments are "IP NAME" pairs, one per node), and the lab's SSH key let in as root, so
# clusterlab's node exec runs commands as root over its shared connection without a sudo per
# command. Idempotent: the hosts block between the markers is replaced on every run.
set -euo pipefail
: "${NODE_NAME:?}"

if [ "$(hostname)" != "$NODE_NAME" ]; then
  echo "$NODE_NAME" >/etc/hostname
  hostname "$NODE_NAME"
  sed -i "s/^127\.0\.1\.1\s.*/127.0.1.1\t$NODE_NAME/" /etc/hosts
fi

BEGIN='# clusterlab nodes: begin'
END='# clusterlab nodes: end'
tmp=$(mktemp)
sed "/^${BEGIN}\$/,/^${END}\$/d" /etc/hosts >"$tmp"
{
  echo "$BEGIN"
  for entry in "$@"; do echo "$entry"; done
  echo "$END"
} >>"$tmp"
cat "$tmp" >/etc/hosts
rm -f "$tmp"

# Vagrant has swapped its insecure key for the lab's own by now; root trusts the same key.
VAGRANT_KEYS=/home/vagrant/.ssh/authorized_keys
if [ -f "$VAGRANT_KEYS" ]; then
  install -d -m 0700 /root/.ssh
  install -m 0600 "$VAGRANT_KEYS" /root/.ssh/authorized_keys
fi
# Debian's sshd lets root in by key (prohibit-password); a box that says no is overridden
# (drop-ins are read first, and sshd takes the first value it reads).
if [ "$(sshd -T 2>/dev/null | awk '$1 == "permitrootlogin" {print $2}')" = no ]; then
  echo 'PermitRootLogin prohibit-password' >/etc/ssh/sshd_config.d/00-clusterlab-root.conf
  systemctl reload ssh
fi
echo "hosts: $NODE_NAME; $# nodes in /etc/hosts; root login by the lab key"
