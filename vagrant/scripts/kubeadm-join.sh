#!/usr/bin/env bash
# The `kubeadm` profile's workers: join the control plane with the lab's bootstrap token.
# The CA is trusted on first use (--discovery-token-unsafe-skip-ca-verification): the token
# only travels inside the lab's parameters and the private network is host-only. Good enough
# for a learning lab; not how a production cluster should join nodes.
#
# Environment: NODE_IP, NODE_NAME, CONTROL_IP, KUBEADM_TOKEN.
set -euo pipefail
: "${NODE_IP:?}" "${NODE_NAME:?}" "${CONTROL_IP:?}" "${KUBEADM_TOKEN:?}"

if [ -f /etc/kubernetes/kubelet.conf ]; then
  echo "kubeadm-join: ${NODE_NAME} has already joined"
  exit 0
fi
for _ in $(seq 1 60); do
  curl -ksf --max-time 5 -o /dev/null "https://${CONTROL_IP}:6443/readyz" && break
  sleep 5
done
kubeadm join "${CONTROL_IP}:6443" \
  --cri-socket unix:///var/run/crio/crio.sock \
  --node-name "$NODE_NAME" \
  --token "$KUBEADM_TOKEN" \
  --discovery-token-unsafe-skip-ca-verification
echo "kubeadm-join: ${NODE_NAME} joined ${CONTROL_IP}"
