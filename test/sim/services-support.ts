import { timestamp } from '../../src/sim/api/validation/objectmeta.js';
import type { KubeObject } from '../../src/sim/store/types.js';
import { type CoreLab, startCoreLab } from './kinds-core-support.js';

/**
 * What the Services suites share. Endpoints follow pod readiness, which the kubelet decides;
 * to decide it in the test, pods are bound to `lab-worker3`, a Node registered through the API
 * that no simulated kubelet runs (unschedulable, so nothing else lands there). The test plays
 * that node's kubelet: it gives a pod its IP and sets Ready, as a kubelet's status write would.
 */

export const TEST_NODE = 'lab-worker3';
const TEST_NODE_CIDR = '10.244.3';

export interface ServicesLab extends CoreLab {
  /** Set a pod Running with its IP, Ready or not (`kubectl get pods` then shows it so). */
  setPodStatus(namespace: string, name: string, ready: boolean): Promise<string>;
  /** Pods in a namespace with a label, oldest first. */
  pods(namespace: string, label: string): KubeObject[];
  /** Wait until the sim's controllers have nothing left to do. */
  settle(): Promise<void>;
}

export async function startServicesLab(): Promise<ServicesLab> {
  const core = await startCoreLab();
  const cluster = core.lab.sim.cluster;
  const kubelet = cluster.context.client('kubelet');
  await cluster.context
    .client('kubeadm')
    .resource('', 'nodes')
    .create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: TEST_NODE,
        labels: { 'kubernetes.io/hostname': TEST_NODE, 'kubernetes.io/os': 'linux' },
      },
      spec: { podCIDR: `${TEST_NODE_CIDR}.0/24`, podCIDRs: [`${TEST_NODE_CIDR}.0/24`], unschedulable: true },
    });
  const ips = new Map<string, string>();
  return {
    ...core,
    async setPodStatus(namespace, name, ready) {
      const pods = kubelet.resource('', 'pods');
      const pod = pods.get(namespace, name);
      if (!pod) throw new Error(`pod ${namespace}/${name} does not exist`);
      const uid = pod.metadata.uid!;
      if (!ips.has(uid)) ips.set(uid, `${TEST_NODE_CIDR}.${ips.size + 10}`);
      const ip = ips.get(uid)!;
      const now = timestamp(cluster.services.clock.now());
      const cond = (type: string, status: boolean) => ({
        type,
        status: status ? 'True' : 'False',
        lastProbeTime: null,
        lastTransitionTime: now,
      });
      await pods.update(
        {
          ...pod,
          status: {
            ...pod.status,
            phase: 'Running',
            hostIP: '172.18.0.9',
            podIP: ip,
            podIPs: [{ ip }],
            startTime: pod.status?.startTime ?? now,
            conditions: [
              cond('PodReadyToStartContainers', true),
              cond('Initialized', true),
              cond('Ready', ready),
              cond('ContainersReady', ready),
              cond('PodScheduled', true),
            ],
            containerStatuses: (pod.spec.containers ?? []).map((c: any) => ({
              name: c.name,
              image: c.image,
              imageID: '',
              containerID: `cri-o://${uid.replaceAll('-', '')}`,
              ready,
              started: true,
              restartCount: 0,
              state: { running: { startedAt: now } },
            })),
          },
        },
        'status',
      );
      return ip;
    },
    pods(namespace, label) {
      const [k, v] = label.split('=');
      return cluster.store
        .list('core/pods', namespace)
        .filter((p) => p.metadata.labels?.[k!] === v)
        .sort((a, b) => (a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : 1));
    },
    settle: () => cluster.settle(),
  };
}

/** Wait for a condition (checked after each settle), failing with what was last seen. */
export async function eventually<T>(
  lab: { settle(): Promise<void> },
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    await lab.settle();
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met; last seen: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A pod template pinned to the test node, serving on a named container port. */
export function pinnedPodSpec(port: { name?: string; containerPort: number }) {
  return {
    nodeName: TEST_NODE,
    containers: [{ name: 'web', image: 'nginx:1.27', ports: [port] }],
  };
}
