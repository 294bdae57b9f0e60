#!/usr/bin/env bash
# The `kubeadm` profile's control plane: `kubeadm init` on CRI-O's socket, then Calico as the
# CNI (it enforces NetworkPolicy, which the networking scenarios need; Flannel does not).
# The bootstrap token comes from the lab's parameters, so workers can join without a file
# passing between VMs. The admin kubeconfig stays at /etc/kubernetes/admin.conf; clusterlab
# copies it to the host over SSH.
#
# Environment: NODE_IP, NODE_NAME, POD_SUBNET, SERVICE_SUBNET, KUBEADM_TOKEN, CALICO_VERSION.
set -euo pipefail
: "${NODE_IP:?}" "${NODE_NAME:?}" "${POD_SUBNET:?}" "${SERVICE_SUBNET:?}" "${KUBEADM_TOKEN:?}" "${CALICO_VERSION:?}"

export KUBECONFIG=/etc/kubernetes/admin.conf
if [ ! -f "$KUBECONFIG" ]; then
  kubeadm init \
    --cri-socket unix:///var/run/crio/crio.sock \
    --apiserver-advertise-address "$NODE_IP" \
    --apiserver-cert-extra-sans "$NODE_IP" \
    --pod-network-cidr "$POD_SUBNET" \
    --service-cidr "$SERVICE_SUBNET" \
    --node-name "$NODE_NAME" \
    --token "$KUBEADM_TOKEN" \
    --token-ttl 0
fi

# The vagrant user gets kubectl too (vagrant ssh control-plane -c 'kubectl get nodes').
install -d -o vagrant -g vagrant /home/vagrant/.kube
install -m 0600 -o vagrant -g vagrant "$KUBECONFIG" /home/vagrant/.kube/config

manifest=/root/calico-${CALICO_VERSION}.yaml
if [ ! -f "$manifest" ]; then
  curl -fsSL -o "$manifest.tmp" "https://raw.githubusercontent.com/projectcalico/calico/${CALICO_VERSION}/manifests/calico.yaml"
  # The pool is the lab's pod subnet (Calico's default is 192.168.0.0/16).
  sed -i \
    -e 's|# - name: CALICO_IPV4POOL_CIDR|- name: CALICO_IPV4POOL_CIDR|' \
    -e "s|#   value: \"192.168.0.0/16\"|  value: \"${POD_SUBNET}\"|" \
    "$manifest.tmp"
  mv "$manifest.tmp" "$manifest"
fi
kubectl apply -f "$manifest" >/dev/null
# Every VM has a management NIC first; Calico must pick the private network's address.
kubectl -n kube-system set env daemonset/calico-node "IP_AUTODETECTION_METHOD=can-reach=${NODE_IP}" >/dev/null
echo "kubeadm-init: control plane up at https://${NODE_IP}:6443, Calico ${CALICO_VERSION} applied"
