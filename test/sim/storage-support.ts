import { VirtualClock } from '../../src/sim/clock.js';
import type { KubeObject } from '../../src/sim/store/types.js';
import { apiRequest } from '../helpers/http.js';
import { type Kubectl, type KubectlResult, kubectlFor, kubectlOnPath } from '../helpers/kubectl.js';
import { parseTable } from '../helpers/kubectl-table.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';

/** What the storage suites share: a lab on a virtual clock, the real kubectl, and waiting helpers. */

export const kubectlBin = kubectlOnPath();
export const skipReason = kubectlBin
  ? undefined
  : missingTool('kubectl', 'install kubectl to run the storage suites');

export interface StorageLab {
  lab: TestLab;
  clock: VirtualClock;
  kubectl: Kubectl;
  /** `kubectl create -f -` with the objects as a YAML stream. */
  create(...docs: object[]): Promise<KubectlResult>;
  /** `kubectl get … -o json`, parsed. */
  json(args: string[]): Promise<any>;
  /** An object straight from the store (for waiting; assertions go through kubectl). */
  stored(resource: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Let simulated time pass, a second at a time, until `check` holds (polling the store). */
  until(what: string, check: () => boolean, timeoutMs?: number): Promise<void>;
  /** Let every controller finish what it can do without time passing. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStorageLab(): Promise<StorageLab> {
  const clock = new VirtualClock(new Date());
  const lab = await startTestLab({ clock });
  const cluster = lab.sim.cluster;
  const kubectl = kubectlFor(kubectlBin!, lab.kubeconfig);
  // As the kinds suites do: without OpenAPI documents kubectl cannot validate client-side.
  const index = (await apiRequest(lab, 'GET', '/openapi/v3')).json();
  const validate = Object.keys(index.paths ?? {}).length > 0 ? [] : ['--validate=false'];
  const stored = (resource: string, ns: string | undefined, name: string) =>
    cluster.store.get(resource, ns, name);
  return {
    lab,
    clock,
    kubectl,
    create: (...docs) =>
      kubectl(['create', ...validate, '-f', '-'], {
        input: docs.map((d) => JSON.stringify(d)).join('\n---\n'),
      }),
    json: async (args) => JSON.parse((await kubectl(['get', ...args, '-o', 'json'])).stdout),
    stored,
    async until(what, check, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
        // Simulated time passes in steps, as image pulls and grace periods need it to.
        await clock.advance(1000);
        await cluster.settle();
      }
    },
    settle: () => cluster.settle(),
    stop: () => lab.stop(),
  };
}

export const PVC = 'core/persistentvolumeclaims';
export const PV = 'core/persistentvolumes';
export const POD = 'core/pods';

export const claim = (name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default', ...extra },
  spec: { accessModes: ['ReadWriteOnce'], ...spec },
});

export const volume = (name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name, ...extra },
  spec: { accessModes: ['ReadWriteOnce'], ...spec },
});

export const request = (size: string) => ({ requests: { storage: size } });

/** A busybox pod that mounts the claim at /data. */
export const podUsing = (name: string, claimName: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: {
    containers: [
      {
        name: 'app',
        image: 'busybox:1.36',
        command: ['sh', '-c', 'sleep 3600'],
        volumeMounts: [{ name: 'data', mountPath: '/data' }],
      },
    ],
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
  },
});

export interface DescribedEvent {
  Type: string;
  Reason: string;
  Age: string;
  From: string;
  Message: string;
}

/** The Events table at the end of `kubectl describe`. */
export function describedEvents(stdout: string): DescribedEvent[] {
  const at = stdout.indexOf('\nEvents:');
  if (at < 0) throw new Error(`no Events section in:\n${stdout}`);
  const lines = stdout.slice(at + '\nEvents:'.length).split('\n');
  if (lines[0]?.trim() === '<none>') return [];
  const table = lines.filter((l) => l.trim() !== '' && !/^\s*-+\s/.test(l)).join('\n');
  return parseTable(table) as unknown as DescribedEvent[];
}

/** A field from `kubectl describe` output (`Status:        Bound` → `Bound`). */
export function describedField(stdout: string, field: string): string | undefined {
  const m = new RegExp(`^${field}:[ \\t]*(.*)$`, 'm').exec(stdout);
  return m?.[1]?.trim();
}
