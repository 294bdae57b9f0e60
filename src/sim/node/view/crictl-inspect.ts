import { imageId } from '../images/catalog.js';
import { qualifiedName } from '../images/reference.js';
import { containerCgroup } from './cgroup-values.js';
import type { ToolIO } from './crictl.js';
import { containerLabels, sandboxLabels, sandboxReady } from './crictl.js';
import { rfc3339Nano } from './format.js';
import { stableUuid } from './identity.js';
import type { ContainerOnNode, NodeModel, PodOnNode } from './node-model.js';

/**
 * `crictl inspect` and `crictl inspectp`: the CRI status as JSON (`status`) plus CRI-O's
 * verbose `info` (pid, sandbox, the OCI runtime spec's cgroup path and namespaces). Only the
 * fields a learner looks for are filled; their names and shapes are the CRI's.
 */

/** Where CRI-O pins a pod's namespaces (its infra container is dropped by default). */
export function pinnedNamespacePaths(p: PodOnNode): { network?: string; ipc: string; uts: string } {
  const uuid = stableUuid(p.sandbox.id);
  return {
    network: p.sandbox.hostNetwork ? undefined : `/var/run/netns/${uuid}`,
    ipc: `/var/run/ipcns/${uuid}`,
    uts: p.sandbox.hostNetwork ? '' : `/var/run/utsns/${uuid}`,
  };
}

function containerStatus(c: ContainerOnNode) {
  const k = c.container;
  const ref = k.config.image.ref;
  const res = containerCgroup(c.spec);
  const quota = res.cpuMax.split(' ')[0];
  return {
    status: {
      id: k.id,
      metadata: { attempt: k.config.attempt, name: k.name },
      state: `CONTAINER_${k.state.toUpperCase()}`,
      createdAt: rfc3339Nano(k.createdAt),
      startedAt: k.startedAt !== undefined ? rfc3339Nano(k.startedAt) : '1970-01-01T00:00:00Z',
      finishedAt: k.finishedAt !== undefined ? rfc3339Nano(k.finishedAt) : '1970-01-01T00:00:00Z',
      exitCode: k.exitCode ?? 0,
      image: { annotations: {}, image: qualifiedName(ref), runtimeHandler: '', userSpecifiedImage: '' },
      imageRef: k.config.image.imageRef,
      imageId: `sha256:${imageId(ref)}`,
      reason: k.state === 'exited' ? (k.reason ?? '') : '',
      message: '',
      labels: containerLabels(c),
      annotations: {
        'io.kubernetes.container.hash': k.id.slice(0, 8),
        'io.kubernetes.container.restartCount': String(k.config.attempt),
        'io.kubernetes.container.terminationMessagePath': '/dev/termination-log',
        'io.kubernetes.container.terminationMessagePolicy': 'File',
        'io.kubernetes.pod.terminationGracePeriod': String(
          c.pod.pod.spec?.terminationGracePeriodSeconds ?? 30,
        ),
      },
      mounts: [],
      logPath: `/var/log/pods/${c.pod.pod.metadata.namespace}_${c.pod.pod.metadata.name}_${c.pod.pod.metadata.uid}/${k.name}/${k.config.attempt}.log`,
      resources: {
        linux: {
          cpuPeriod: '100000',
          cpuQuota: quota === 'max' ? '0' : quota,
          cpuShares: String(sharesOf(c.spec)),
          memoryLimitInBytes: res.memoryMax === 'max' ? '0' : res.memoryMax,
          oomScoreAdj: '0',
          cpusetCpus: '',
          cpusetMems: '',
          hugepageLimits: [],
          unified: {},
          memorySwapLimitInBytes: res.memoryMax === 'max' ? '0' : res.memoryMax,
        },
        windows: null,
      },
    },
  };
}

function sharesOf(spec: any): number {
  // cpu.weight back to the shares kubelet asked for is lossy; recompute from the request.
  const w = containerCgroup(spec).cpuWeight;
  return w === 1 ? 2 : Math.round(((w - 1) * 262_142) / 9999 + 2);
}

function containerInfo(c: ContainerOnNode, model: NodeModel) {
  const ns = pinnedNamespacePaths(c.pod);
  const spec = c.pod.pod.spec ?? {};
  const namespaces: Array<{ type: string; path?: string }> = [];
  if (!spec.hostPID) namespaces.push({ type: 'pid' });
  namespaces.push({ type: 'ipc', path: ns.ipc });
  if (ns.uts) namespaces.push({ type: 'uts', path: ns.uts });
  namespaces.push({ type: 'mount' });
  if (ns.network) namespaces.push({ type: 'network', path: ns.network });
  namespaces.push({ type: 'cgroup' });
  return {
    sandboxID: c.pod.sandbox.id,
    pid: c.container.state === 'running' ? c.pid : 0,
    runtimeSpec: {
      ociVersion: '1.0.2-dev',
      process: { args: c.container.config.argv, cwd: '/' },
      hostname: c.container.config.hostname,
      linux: {
        cgroupsPath: `${c.pod.slice.split('/').pop()}:crio:${c.container.id}`,
        namespaces,
      },
    },
    privileged: !!c.spec.securityContext?.privileged,
    runtimeType: 'oci',
    node: model.name,
  };
}

export function crictlInspect(
  ids: string[],
  model: NodeModel,
  io: ToolIO,
  find: (model: NodeModel, id: string) => ContainerOnNode | undefined,
): number {
  const wanted = ids.filter((a) => !a.startsWith('-'));
  if (wanted.length === 0) {
    io.stderr('level=fatal msg="ID cannot be empty"\n');
    return 1;
  }
  const out = [];
  for (const id of wanted) {
    const c = find(model, id);
    if (!c) {
      io.stderr(
        `level=fatal msg="getting the status of the container \\"${id}\\": rpc error: code = NotFound desc = could not find container \\"${id}\\": container with ID starting with ${id} not found: ID does not exist"\n`,
      );
      return 1;
    }
    out.push({ ...containerStatus(c), info: containerInfo(c, model) });
  }
  io.stdout(
    `${(out.length === 1 ? [JSON.stringify(out[0], null, 2)] : out.map((o) => JSON.stringify(o, null, 2))).join('\n')}\n`,
  );
  return 0;
}

export function crictlInspectp(ids: string[], model: NodeModel, io: ToolIO): number {
  const wanted = ids.filter((a) => !a.startsWith('-'));
  if (wanted.length === 0) {
    io.stderr('level=fatal msg="ID cannot be empty"\n');
    return 1;
  }
  const out = [];
  for (const id of wanted) {
    const p = model.pods().find((x) => x.sandbox.id.startsWith(id));
    if (!p) {
      io.stderr(
        `level=fatal msg="getting the pod sandbox status of \\"${id}\\": rpc error: code = NotFound desc = could not find pod \\"${id}\\": PodSandbox with ID starting with ${id} not found: ID does not exist"\n`,
      );
      return 1;
    }
    const spec = p.pod.spec ?? {};
    const ns = pinnedNamespacePaths(p);
    out.push({
      status: {
        id: p.sandbox.id,
        metadata: {
          attempt: 0,
          name: p.pod.metadata.name,
          namespace: p.pod.metadata.namespace,
          uid: p.pod.metadata.uid,
        },
        state: sandboxReady(p) ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY',
        createdAt: rfc3339Nano(p.sandbox.createdAt),
        network: { additionalIps: [], ip: p.sandbox.ip },
        linux: {
          namespaces: {
            options: {
              ipc: spec.hostIPC ? 'NODE' : 'POD',
              network: p.sandbox.hostNetwork ? 'NODE' : 'POD',
              pid: spec.hostPID ? 'NODE' : spec.shareProcessNamespace ? 'POD' : 'CONTAINER',
              targetId: '',
              userNsOptions: null,
            },
          },
        },
        labels: sandboxLabels(p),
        annotations: p.pod.metadata.annotations ?? {},
        runtimeHandler: '',
      },
      info: {
        runtimeSpec: {
          linux: {
            cgroupsPath: `${p.slice.split('/').pop()}:crio:${p.sandbox.id}`,
            namespaces: [
              ...(ns.network ? [{ type: 'network', path: ns.network }] : []),
              { type: 'ipc', path: ns.ipc },
              ...(ns.uts ? [{ type: 'uts', path: ns.uts }] : []),
            ],
          },
        },
      },
    });
  }
  io.stdout(`${out.map((o) => JSON.stringify(o, null, 2)).join('\n')}\n`);
  return 0;
}
