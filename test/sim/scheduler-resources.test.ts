import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveLabSpec } from '../../src/backends/lab-spec.js';
import { fitErrorMessage, reject } from '../../src/sim/controllers/scheduler/framework.js';
import { insufficientResources } from '../../src/sim/controllers/scheduler/plugins/fit.js';
import { podRequests } from '../../src/sim/controllers/scheduler/resources.js';
import type { KubeObject } from '../../src/sim/store/types.js';
import {
  failedScheduling,
  podsByLabel,
  type SchedLab,
  skipWithoutKubectl,
  startSchedLab,
  waitFor,
} from './scheduler-support.js';

const pod = (spec: Record<string, unknown>): KubeObject => ({
  metadata: { name: 'p', namespace: 'default' },
  spec,
});
const req = (cpu: string, memory: string) => ({ resources: { requests: { cpu, memory } } });
const node = (allocatable: Record<string, string>): KubeObject => ({
  metadata: { name: 'n' },
  status: { allocatable },
});

describe('pod requests as the scheduler counts them', () => {
  it('sums app containers, takes the largest init container when it is more, adds overhead', () => {
    const r = podRequests(
      pod({
        initContainers: [
          { name: 'a', ...req('2', '100Mi') },
          { name: 'b', ...req('500m', '1Gi') },
        ],
        containers: [
          { name: 'x', ...req('250m', '128Mi') },
          { name: 'y', ...req('250m', '128Mi') },
        ],
        overhead: { cpu: '100m', memory: '64Mi' },
      }),
    );
    expect(r.milliCPU).toBe(2100); // max(2, 0.5) init beats 0.5 of app containers, plus overhead
    expect(r.memory).toBe(1024 * 1024 * 1024 + 64 * 1024 * 1024);
  });

  it('counts sidecars (restartable init containers) alongside the app and the later init containers', () => {
    const r = podRequests(
      pod({
        initContainers: [
          { name: 'sidecar', restartPolicy: 'Always', ...req('200m', '0') },
          { name: 'setup', ...req('1', '0') },
        ],
        containers: [{ name: 'app', ...req('500m', '0') }],
      }),
    );
    expect(r.milliCPU).toBe(1200); // setup runs with the sidecar: 1 + 0.2 > 0.5 + 0.2
  });

  it('gives containers without requests the scoring defaults only when asked (100m, 200Mi)', () => {
    const p = pod({ containers: [{ name: 'a' }] });
    expect(podRequests(p).milliCPU).toBe(0);
    expect(podRequests(p, true)).toMatchObject({ milliCPU: 100, memory: 200 * 1024 * 1024 });
  });

  it('reports what does not fit in upstream order, Too many pods first', () => {
    const usage = {
      requested: { milliCPU: 1500, memory: 0, ephemeralStorage: 0, scalar: {} },
      nonZero: { milliCPU: 1500, memory: 0 },
      pods: 2,
      ports: [],
    };
    const candidate = { name: 'n', node: node({ cpu: '2', memory: '1Gi', pods: '2' }), usage };
    const wants = podRequests(pod({ containers: [{ name: 'a', ...req('1', '2Gi') }] }));
    expect(insufficientResources(wants, candidate)).toEqual([
      'Too many pods',
      'Insufficient cpu',
      'Insufficient memory',
    ]);
  });

  it('formats FitError as kube-scheduler 1.33: counted, sorted, PreFilter message alone', () => {
    const nodes = new Map([
      ['a', reject('NodeResourcesFit', 'Unschedulable', 'Insufficient cpu', 'Insufficient memory')],
      ['b', reject('NodeResourcesFit', 'Unschedulable', 'Insufficient memory')],
      ['c', reject('TaintToleration', 'UnschedulableAndUnresolvable', 'node(s) had untolerated taint {x: }')],
    ]);
    expect(fitErrorMessage({ numAllNodes: 3, nodes })).toBe(
      '0/3 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {x: }, 2 Insufficient memory.',
    );
    const pre = reject(
      'VolumeBinding',
      'UnschedulableAndUnresolvable',
      'pod has unbound immediate PersistentVolumeClaims',
    );
    expect(
      fitErrorMessage({
        numAllNodes: 3,
        preFilter: pre,
        nodes: new Map(),
        postFilterMsg: '0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      }),
    ).toBe(
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });
});

describe.skipIf(!!skipWithoutKubectl)('scheduler: requests against allocatable on small workers', () => {
  let s: SchedLab | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('replicas that do not fit stay Pending with Insufficient memory, and fit once others go', async () => {
    const spec = resolveLabSpec(
      { name: 'lab', labId: 'small-workers' },
      path.join(import.meta.dirname, '../../labs'),
    ).spec;
    s = await startSchedLab({ topology: { worker: spec.topology?.worker } });
    // 2Gi workers: one 1200Mi replica each, the other two stay Pending.
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'fat' },
      spec: {
        replicas: 4,
        selector: { matchLabels: { app: 'fat' } },
        template: {
          metadata: { labels: { app: 'fat' } },
          spec: {
            containers: [{ name: 'nginx', image: 'nginx', resources: { requests: { memory: '1200Mi' } } }],
          },
        },
      },
    };
    await s.kubectl(['apply', '-f', '-'], { input: JSON.stringify(deployment) });
    const pending = await waitFor(
      async () => {
        const pods = await podsByLabel(s!.kubectl, 'app=fat');
        const unbound = pods.filter((p) => !p.spec.nodeName);
        return pods.length === 4 && unbound.length === 2 ? unbound : undefined;
      },
      { what: 'two fat pods bound, two pending' },
    );
    const message = await waitFor(
      async () => (await failedScheduling(s!.kubectl, pending[0]!.metadata.name!))[0],
    );
    expect(message).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. ' +
        'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
    await s.kubectl(['scale', 'deployment', 'fat', '--replicas=2']);
    await waitFor(
      async () => {
        const pods = (await podsByLabel(s!.kubectl, 'app=fat')).filter((p) => !p.metadata.deletionTimestamp);
        return pods.length === 2 && pods.every((p) => p.spec.nodeName);
      },
      { what: 'two bound fat pods after scaling down' },
    );
  });
});
