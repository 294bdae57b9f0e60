#!/usr/bin/env bash
# The `kubeadm` node profile, every node: CRI-O and kubelet/kubeadm/kubectl from their
# upstream package repositories, pinned to one Kubernetes minor (CRI-O's minor matches it, as
# cri-o/packaging pairs them), swap off, the kernel modules and sysctls Kubernetes networking
# needs. Downloads from pkgs.k8s.io and download.opensuse.org: the VM needs the internet.
#
# Environment: K8S_MINOR (v1.33), CRIO_MINOR (v1.33), NODE_IP (this node's private address).
set -euo pipefail
: "${K8S_MINOR:?}" "${CRIO_MINOR:?}" "${NODE_IP:?}"

export DEBIAN_FRONTEND=noninteractive

# kubelet refuses to run with swap on (unless configured otherwise); keep it off after reboots.
swapoff -a
sed -i '/\sswap\s/s/^[^#]/#&/' /etc/fstab

cat >/etc/modules-load.d/clusterlab-k8s.conf <<'CONF'
overlay
br_netfilter
CONF
modprobe overlay
modprobe br_netfilter
cat >/etc/sysctl.d/90-clusterlab-k8s.conf <<'CONF'
net.bridge.bridge-nf-call-iptables = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.ipv4.ip_forward = 1
fs.inotify.max_user_watches = 524288
fs.inotify.max_user_instances = 512
CONF
sysctl --system >/dev/null

if ! curl -fsS --max-time 15 -o /dev/null "https://pkgs.k8s.io/core:/stable:/${K8S_MINOR}/deb/Release.key"; then
  echo "kubeadm-node: pkgs.k8s.io cannot be reached from this VM; the kubeadm profile needs the internet" >&2
  exit 1
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends apt-transport-https ca-certificates curl gpg >/dev/null

install -d -m 0755 /etc/apt/keyrings
curl -fsSL "https://pkgs.k8s.io/core:/stable:/${K8S_MINOR}/deb/Release.key" |
  gpg --batch --yes --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/${K8S_MINOR}/deb/ /" \
  >/etc/apt/sources.list.d/kubernetes.list
curl -fsSL "https://download.opensuse.org/repositories/isv:/cri-o:/stable:/${CRIO_MINOR}/deb/Release.key" |
  gpg --batch --yes --dearmor -o /etc/apt/keyrings/cri-o-apt-keyring.gpg
echo "deb [signed-by=/etc/apt/keyrings/cri-o-apt-keyring.gpg] https://download.opensuse.org/repositories/isv:/cri-o:/stable:/${CRIO_MINOR}/deb/ /" \
  >/etc/apt/sources.list.d/cri-o.list

apt-get update -qq
apt-get install -y -qq cri-o kubelet kubeadm kubectl >/dev/null
# Pinned: an `apt-get upgrade` inside the lab must not move the cluster to another minor.
apt-mark hold cri-o kubelet kubeadm kubectl >/dev/null

# Short image names (nginx, busybox) resolve on Docker Hub, as the tutorials expect.
mkdir -p /etc/containers/registries.conf.d
echo 'unqualified-search-registries = ["docker.io"]' >/etc/containers/registries.conf.d/99-clusterlab.conf

# kubelet advertises the private-network address, not the management NIC's (the same on every
# VirtualBox VM).
echo "KUBELET_EXTRA_ARGS=--node-ip=${NODE_IP}" >/etc/default/kubelet
systemctl enable --now crio >/dev/null 2>&1
systemctl enable kubelet >/dev/null 2>&1
echo "kubeadm-node: CRI-O $(crio --version 2>/dev/null | awk '/^Version/ {print $2}'), kubeadm $(kubeadm version -o short)"
