import { qosClass } from '../../kinds/common/podspec.js';
import type { KubeObject } from '../../store/types.js';
import type { RuntimeContainer } from '../container.js';
import type { NodeRuntime, Sandbox } from '../runtime.js';
import { NAMESPACE_TYPES, type NamespaceType, namespaceInode, stablePid } from './identity.js';

/**
 * One node as its shell sees it: the pods the kubelet runs there (API objects joined with the
 * runtime's sandboxes and containers), their cgroup paths and the processes CRI-O started.
 * Everything the node view prints (`crictl`, `/sys/fs/cgroup`, `/proc`, `ps`, `lsns`) reads
 * this, so the views agree with each other and with `kubectl`.
 */

export interface NodeViewSource {
  node: KubeObject;
  runtime: NodeRuntime;
  /** The pods bound to this node. */
  pods(): KubeObject[];
  /** Every node of the cluster (routes to their pod CIDRs). */
  nodes(): KubeObject[];
  now(): number;
}

export interface PodOnNode {
  pod: KubeObject;
  sandbox: Sandbox;
  qos: 'Guaranteed' | 'Burstable' | 'BestEffort';
  /** The pod's uid as kubelet names its cgroup (a static pod's is its manifest hash). */
  uid: string;
  /** `/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice`. */
  slice: string;
  containers: ContainerOnNode[];
}

export interface ContainerOnNode {
  container: RuntimeContainer;
  spec: any;
  pod: PodOnNode;
  pid: number;
  conmonPid: number;
  scope: string;
}

export interface NodeProcess {
  pid: number;
  ppid: number;
  user: string;
  /** argv[0] basename, as `ps` and `lsns` show it. */
  comm: string;
  args: string;
  cgroup: string;
  ns: Record<NamespaceType, number>;
  startedAt: number;
}

/** `kubepods-burstable-pod<uid with _>.slice`, as kubelet's systemd cgroup driver names it. */
export function podSliceName(uid: string, qos: string): string {
  const id = uid.replace(/-/g, '_');
  return qos === 'Guaranteed' ? `kubepods-pod${id}.slice` : `kubepods-${qos.toLowerCase()}-pod${id}.slice`;
}

export function podSlicePath(uid: string, qos: string): string {
  const name = podSliceName(uid, qos);
  return qos === 'Guaranteed'
    ? `/kubepods.slice/${name}`
    : `/kubepods.slice/kubepods-${qos.toLowerCase()}.slice/${name}`;
}

const MIRROR = 'kubernetes.io/config.mirror';

/** The node's own processes, started at boot (pids a fresh kind node has, give or take). */
const SYSTEM_PROCESSES = [
  { pid: 1, comm: 'systemd', args: '/sbin/init', cgroup: '/init.scope' },
  {
    pid: 93,
    comm: 'systemd-journal',
    args: '/lib/systemd/systemd-journald',
    cgroup: '/system.slice/systemd-journald.service',
  },
  { pid: 105, comm: 'crio', args: '/usr/bin/crio', cgroup: '/system.slice/crio.service' },
  {
    pid: 214,
    comm: 'kubelet',
    args: '/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///var/run/crio/crio.sock --node-ip=NODE_IP --node-labels= --pod-infra-container-image=registry.k8s.io/pause:3.10 --provider-id=kind://docker/LAB/NODE',
    cgroup: '/kubelet.slice/kubelet.service',
  },
];

export class NodeModel {
  readonly name: string;
  readonly ip: string;
  private cachedPods?: PodOnNode[];

  constructor(readonly source: NodeViewSource) {
    this.name = source.node.metadata.name!;
    this.ip = source.runtime.nodeIP;
  }

  /** The node's own namespaces (the kind node container's). */
  nodeNs(type: NamespaceType): number {
    return namespaceInode(`node/${this.name}`, type);
  }

  pods(): PodOnNode[] {
    if (this.cachedPods) return this.cachedPods;
    const out: PodOnNode[] = [];
    for (const pod of this.source.pods()) {
      const mirror = pod.metadata.annotations?.[MIRROR];
      const runtimeUid = mirror ? `static-${mirror}` : pod.metadata.uid!;
      const sandbox = this.source.runtime.sandbox(runtimeUid);
      if (!sandbox) continue;
      const qos = pod.status?.qosClass ?? qosClass(pod.spec);
      const uid = mirror ?? pod.metadata.uid!;
      const slice = podSlicePath(uid, qos);
      const entry: PodOnNode = { pod, sandbox, qos, uid, slice, containers: [] };
      const specs = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
      for (const c of this.source.runtime.containersOf(runtimeUid)) {
        entry.containers.push({
          container: c,
          spec: specs.find((s: any) => s.name === c.name) ?? {},
          pod: entry,
          pid: stablePid(c.id),
          conmonPid: stablePid(`conmon/${c.id}`),
          scope: `${slice}/crio-${c.id}.scope`,
        });
      }
      out.push(entry);
    }
    out.sort((a, b) => a.sandbox.createdAt - b.sandbox.createdAt);
    this.cachedPods = out;
    return out;
  }

  containers(): ContainerOnNode[] {
    return this.pods().flatMap((p) => p.containers);
  }

  /** Namespaces of a container's process: net, ipc and uts are the pod's (CRI-O pins them per sandbox). */
  containerNs(c: ContainerOnNode): Record<NamespaceType, number> {
    const spec = c.pod.pod.spec ?? {};
    const sandbox = `sandbox/${c.pod.sandbox.id}`;
    const own = `container/${c.container.id}`;
    const pick = (type: NamespaceType, owner: string | undefined) =>
      owner === undefined ? this.nodeNs(type) : namespaceInode(owner, type);
    return {
      cgroup: pick('cgroup', own),
      ipc: pick('ipc', spec.hostIPC ? undefined : sandbox),
      mnt: pick('mnt', own),
      net: pick('net', c.pod.sandbox.hostNetwork ? undefined : sandbox),
      pid: pick('pid', spec.hostPID ? undefined : spec.shareProcessNamespace ? sandbox : own),
      time: this.nodeNs('time'),
      user: this.nodeNs('user'),
      uts: pick('uts', c.pod.sandbox.hostNetwork ? undefined : sandbox),
    };
  }

  /**
   * The node's processes: systemd, journald, CRI-O, the kubelet, then per running container its
   * conmon and its main process. CRI-O drops the infra (pause) container unless the pod shares
   * its PID namespace, so a `pause` process shows only for those pods.
   */
  processes(): NodeProcess[] {
    const nodeNs = Object.fromEntries(NAMESPACE_TYPES.map((t) => [t, this.nodeNs(t)])) as Record<
      NamespaceType,
      number
    >;
    const boot = Date.parse(this.source.node.metadata.creationTimestamp ?? '') || 0;
    const lab = this.name.replace(/-(control-plane|worker\d*)$/, '');
    const out: NodeProcess[] = SYSTEM_PROCESSES.map((p) => ({
      ...p,
      args: p.args.replace('NODE_IP', this.ip).replace('LAB', lab).replace('NODE', this.name),
      ppid: p.pid === 1 ? 0 : 1,
      user: 'root',
      ns: nodeNs,
      startedAt: boot,
    }));
    for (const p of this.pods()) {
      if (p.pod.spec?.shareProcessNamespace && !p.sandbox.hostNetwork) {
        const sandbox = `sandbox/${p.sandbox.id}`;
        out.push({
          pid: stablePid(`pause/${p.sandbox.id}`),
          ppid: 1,
          user: '65535',
          comm: 'pause',
          args: '/pause',
          cgroup: `${p.slice}/crio-${p.sandbox.id}.scope`,
          ns: {
            ...nodeNs,
            cgroup: namespaceInode(sandbox, 'cgroup'),
            ipc: namespaceInode(sandbox, 'ipc'),
            mnt: namespaceInode(sandbox, 'mnt'),
            net: namespaceInode(sandbox, 'net'),
            pid: namespaceInode(sandbox, 'pid'),
            uts: namespaceInode(sandbox, 'uts'),
          },
          startedAt: p.sandbox.createdAt,
        });
      }
      for (const c of p.containers) {
        if (c.container.state !== 'running') continue;
        const argv = c.container.config.argv;
        out.push({
          pid: c.conmonPid,
          ppid: 1,
          user: 'root',
          comm: 'conmon',
          args: `/usr/bin/conmon -b /run/containers/storage/overlay-containers/${c.container.id}/userdata -c ${c.container.id} --exit-dir /var/run/crio/exits -l /var/log/pods/${p.pod.metadata.namespace}_${p.pod.metadata.name}_${p.pod.metadata.uid}/${c.container.name}/${c.container.config.attempt}.log --log-level info -n k8s_${c.container.name}_${p.pod.metadata.name}_${p.pod.metadata.namespace}_${p.pod.metadata.uid}_${c.container.config.attempt} -r /usr/bin/crun -s --syslog -u ${c.container.id}`,
          cgroup: `${p.slice}/crio-conmon-${c.container.id}.scope`,
          ns: nodeNs,
          startedAt: c.container.startedAt ?? c.container.createdAt,
        });
        out.push({
          pid: c.pid,
          ppid: c.conmonPid,
          user: 'root',
          comm: (argv[0] ?? '').split('/').pop()!.slice(0, 15),
          args: argv.join(' '),
          cgroup: c.scope,
          ns: this.containerNs(c),
          startedAt: c.container.startedAt ?? c.container.createdAt,
        });
      }
    }
    return out.sort((a, b) => a.pid - b.pid);
  }

  process(pid: number): NodeProcess | undefined {
    return this.processes().find((p) => p.pid === pid);
  }
}
