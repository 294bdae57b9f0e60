import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason } from './kubelet-support.js';
import { type NodeViewLab, startNodeViewLab } from './nodeview-support.js';

/**
 * The cgroup values a node shows for Guaranteed, Burstable and BestEffort pods equal kubelet's
 * formulas, computed here independently from the pod specs (docs/sim-node-view.md).
 */

const milli = (cpu: string) => (cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000);
const mib = (m: string) => Number(m.replace('Mi', '')) * 1024 * 1024;
const shares = (m: number) => (m === 0 ? 2 : Math.max(2, Math.floor((m * 1024) / 1000)));
const weight = (s: number) => 1 + Math.floor(((s - 2) * 9999) / 262142);
const quota = (m: number) =>
  m === 0 ? 'max 100000' : `${Math.max(1000, Math.floor((m * 100000) / 1000))} 100000`;

function pod(name: string, resources: object | undefined) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      nodeName: 'lab-worker',
      containers: [{ name: 'web', image: 'nginx:1.27', ...(resources ? { resources } : {}) }],
    },
  };
}

describe.skipIf(skipReason)('node view: cgroups of Guaranteed, Burstable and BestEffort pods', () => {
  let lab: NodeViewLab;
  beforeAll(async () => {
    lab = await startNodeViewLab();
  });
  afterAll(async () => lab?.stop());

  const read = async (path: string) => {
    const r = await lab.onNode('lab-worker', `cat ${path}`);
    expect(r.stderr).toBe('');
    return r.stdout.trim();
  };

  it('writes kubelet values into the pod slice and the container scope', async () => {
    const g = await lab.runPod(
      pod('guaranteed', {
        requests: { cpu: '500m', memory: '128Mi' },
        limits: { cpu: '500m', memory: '128Mi' },
      }),
    );
    const b = await lab.runPod(
      pod('burstable', { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '256Mi' } }),
    );
    const e = await lab.runPod(pod('besteffort', undefined));
    const { stdout: qos } = await lab.k([
      'get',
      'pods',
      '-o',
      'custom-columns=N:.metadata.name,Q:.status.qosClass',
      '--no-headers',
    ]);
    expect(qos).toMatch(/guaranteed\s+Guaranteed/);
    expect(qos).toMatch(/burstable\s+Burstable/);
    expect(qos).toMatch(/besteffort\s+BestEffort/);

    const slice = (p: any, q: string) => {
      const id = p.metadata.uid.replace(/-/g, '_');
      return q === 'guaranteed'
        ? `/sys/fs/cgroup/kubepods.slice/kubepods-pod${id}.slice`
        : `/sys/fs/cgroup/kubepods.slice/kubepods-${q}.slice/kubepods-${q}-pod${id}.slice`;
    };
    const scope = (p: any, q: string) =>
      `${slice(p, q)}/crio-${p.status.containerStatuses[0].containerID.replace('cri-o://', '')}.scope`;

    // Guaranteed: requests = limits.
    expect(await read(`${scope(g, 'guaranteed')}/cpu.weight`)).toBe(String(weight(shares(milli('500m')))));
    expect(await read(`${scope(g, 'guaranteed')}/cpu.max`)).toBe(quota(milli('500m')));
    expect(await read(`${scope(g, 'guaranteed')}/memory.max`)).toBe(String(mib('128Mi')));
    expect(await read(`${slice(g, 'guaranteed')}/memory.max`)).toBe(String(mib('128Mi')));
    expect(await read(`${slice(g, 'guaranteed')}/cpu.max`)).toBe(quota(milli('500m')));

    // Burstable: the request sets the weight; no CPU limit means no quota.
    expect(await read(`${scope(b, 'burstable')}/cpu.weight`)).toBe(String(weight(shares(250))));
    expect(await read(`${scope(b, 'burstable')}/cpu.max`)).toBe('max 100000');
    expect(await read(`${scope(b, 'burstable')}/memory.max`)).toBe(String(mib('256Mi')));
    expect(await read(`${slice(b, 'burstable')}/cpu.weight`)).toBe(String(weight(shares(250))));

    // BestEffort: the minimum shares (2), weight 1, nothing limited.
    expect(await read(`${scope(e, 'besteffort')}/cpu.weight`)).toBe(String(weight(2)));
    expect(await read(`${scope(e, 'besteffort')}/memory.max`)).toBe('max');
    expect(await read(`${slice(e, 'besteffort')}/cpu.weight`)).toBe('1');
    expect(await read('/sys/fs/cgroup/kubepods.slice/kubepods-besteffort.slice/cpu.weight')).toBe('1');

    // kubepods.slice: the node's allocatable CPU (4) and memory (8Gi).
    expect(await read('/sys/fs/cgroup/kubepods.slice/cpu.weight')).toBe(String(weight(shares(4000))));
    expect(await read('/sys/fs/cgroup/kubepods.slice/memory.max')).toBe(String(8 * 1024 ** 3));
  });

  it('gives the containers of a pod the same net, ipc and uts namespaces, and other pods another', async () => {
    await lab.runPod({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'two' },
      spec: {
        nodeName: 'lab-worker',
        containers: [
          { name: 'web', image: 'nginx:1.27' },
          { name: 'side', image: 'busybox:1.37', command: ['sleep', '3600'] },
        ],
      },
    });
    const pidsOf = async (name: string) => {
      const ids = await lab.onNode('lab-worker', `crictl ps --name ${name} -q`);
      const out: number[] = [];
      for (const id of ids.stdout.trim().split('\n')) {
        const r = await lab.onNode('lab-worker', `crictl inspect ${id}`);
        out.push(JSON.parse(r.stdout).info.pid);
      }
      return out;
    };
    const ns = async (pid: number, type: string) =>
      (await lab.onNode('lab-worker', `readlink /proc/${pid}/ns/${type}`)).stdout.trim();
    const web = (
      await lab.onNode('lab-worker', "crictl ps --label io.kubernetes.pod.name=two --name '^web$' -q")
    ).stdout.trim();
    const side = (
      await lab.onNode('lab-worker', "crictl ps --label io.kubernetes.pod.name=two --name '^side$' -q")
    ).stdout.trim();
    const pid = async (id: string) =>
      JSON.parse((await lab.onNode('lab-worker', `crictl inspect ${id}`)).stdout).info.pid;
    const [a, b] = [await pid(web), await pid(side)];
    for (const t of ['net', 'ipc', 'uts']) {
      expect(await ns(a, t)).toMatch(new RegExp(`^${t}:\\[\\d+\\]$`));
      expect(await ns(a, t)).toBe(await ns(b, t));
    }
    for (const t of ['pid', 'mnt']) expect(await ns(a, t)).not.toBe(await ns(b, t));
    const other = (await pidsOf('^web$')).find((p) => p !== a)!;
    expect(await ns(other, 'net')).not.toBe(await ns(a, 'net'));
    const lsns = await lab.onNode('lab-worker', `lsns -t net`);
    expect(lsns.stdout.split('\n')[0]).toMatch(/^\s+NS TYPE\s+NPROCS\s+PID USER\s+COMMAND$/);
    expect(lsns.stdout).toContain((await ns(a, 'net')).replace(/\D/g, ''));
  });
});
