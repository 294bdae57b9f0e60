import type { WatchHandle, WatchKey } from '../kube/informers.js';
import { type ExecTarget, type ProbeEnv, withTimeout } from './env.js';
import { formatValue, printJsonPath } from './jsonpath/evaluate.js';
import type { JsonPath } from './jsonpath/parse.js';
import { type EventLike, evaluateEvents, eventMatches } from './probes/event.js';
import { type ExecView, evaluateExec, shellWords } from './probes/exec.js';
import { evaluateHttp, type HttpView, toHttpView } from './probes/http.js';
import { evaluateResource, type KubeObjectLike, selectObjects } from './probes/resource.js';
import type { Condition, NodeExecProbe, Outcome, PodExecProbe, ValueProbe } from './types.js';

/**
 * What a probe sees, apart from what must hold there: the objects a watch holds, or what
 * commands and requests returned. Sync probes read informer caches; the others run.
 */
export type Seen =
  | { t: 'objects'; objects: readonly KubeObjectLike[] }
  | { t: 'exec'; views: ExecView[]; where: string }
  | { t: 'http'; view: HttpView | { error: string } }
  | { t: 'error'; error: string }
  | { t: 'pending' };

/** The watches a probe needs: its objects, or the pods an exec picks from. */
export function watchKeys(p: ValueProbe): WatchKey[] {
  switch (p.probe) {
    case 'resource':
      return [{ apiVersion: p.apiVersion, kind: p.kind, namespace: p.namespace }];
    case 'event':
      return [{ apiVersion: 'v1', kind: 'Event', namespace: p.namespace }];
    case 'podExec':
      return [{ apiVersion: 'v1', kind: 'Pod', namespace: p.namespace }];
    default:
      return [];
  }
}

export const keyId = (k: WatchKey) => `${k.apiVersion}|${k.kind}|${k.namespace ?? '*'}`;

/** Whether the probe is read from caches (and so re-evaluated on every watch event). */
export const isSync = (p: ValueProbe) => p.probe === 'resource' || p.probe === 'event';

function fromHandle(h: WatchHandle | undefined): { objects: readonly KubeObjectLike[] } | Seen {
  if (!h) return { t: 'pending' };
  if (h.error) return { t: 'error', error: `cannot watch: ${h.error}` };
  if (!h.synced) return { t: 'pending' };
  return { objects: h.list() as KubeObjectLike[] };
}

/** A cache-backed look (resource, event). */
export function lookSync(p: ValueProbe, handles: Map<string, WatchHandle>): Seen {
  const h = fromHandle(handles.get(keyId(watchKeys(p)[0]!)));
  if ('t' in h) return h;
  if (p.probe === 'resource' || p.probe === 'event') return { t: 'objects', objects: h.objects };
  throw new Error(`${p.probe} is not read from a cache`);
}

/** Run a command or request probe once. */
export async function lookAsync(
  p: ValueProbe,
  env: ProbeEnv,
  handles: Map<string, WatchHandle>,
): Promise<Seen> {
  switch (p.probe) {
    case 'nodeExec':
      return nodeExec(p, env);
    case 'podExec':
      return podExec(p, env, handles);
    case 'http': {
      const o = { method: p.method, headers: p.headers, body: p.body, timeoutMs: p.timeoutMs };
      try {
        const r =
          'url' in p.target
            ? await env.fetch(p.target.url, o)
            : await env.apiRequest(p.method, p.target.apiServer, o);
        return { t: 'http', view: toHttpView(r.status, r.body, r.headers) };
      } catch (e) {
        return { t: 'http', view: { error: (e as Error).message } };
      }
    }
    default:
      return lookSync(p, handles);
  }
}

async function runOn(
  target: string,
  fn: () => Promise<Omit<ExecView, 'target'>>,
  ms: number,
  what: string,
): Promise<ExecView> {
  try {
    return { ...(await withTimeout(fn(), ms, what)), target };
  } catch (e) {
    return { stdout: '', stderr: (e as Error).message, exitCode: -1, target };
  }
}

async function nodeExec(p: NodeExecProbe, env: ProbeEnv): Promise<Seen> {
  let nodes: ExecTarget[];
  try {
    nodes = await env.nodes();
  } catch (e) {
    return { t: 'error', error: `cannot list the lab's nodes: ${(e as Error).message}` };
  }
  const chosen = nodes.filter(
    (n) => (!p.node.role || n.role === p.node.role) && (!p.node.name || n.name === p.node.name),
  );
  const where = p.node.name ? `node ${p.node.name}` : p.node.role ? `the ${p.node.role} nodes` : 'the nodes';
  const views = await Promise.all(
    chosen.map((n) =>
      runOn(n.name, () => n.exec(p.command), p.timeoutMs, `"${shellWords(p.command)}" on ${n.name}`),
    ),
  );
  return { t: 'exec', views, where };
}

interface PodLike extends KubeObjectLike {
  metadata?: KubeObjectLike['metadata'] & { annotations?: Record<string, string> };
  spec?: { containers?: Array<{ name: string }> };
  status?: { phase?: string };
}

async function podExec(p: PodExecProbe, env: ProbeEnv, handles: Map<string, WatchHandle>): Promise<Seen> {
  const h = fromHandle(handles.get(keyId(watchKeys(p)[0]!)));
  if ('t' in h) return h;
  const pods = selectObjects(
    { apiVersion: 'v1', kind: 'Pod', namespace: p.namespace, name: p.pod, labelSelector: p.labelSelector },
    h.objects as PodLike[],
  );
  const running = pods.filter((pod) => pod.status?.phase === 'Running');
  const where = p.pod
    ? `pod ${p.namespace}/${p.pod} (Running)`
    : `the Running pods in ${p.namespace} with labels ${p.labelSelector?.source}`;
  const views = await Promise.all(
    running.map((pod) => {
      const name = pod.metadata?.name ?? '';
      const container =
        p.container ??
        pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] ??
        pod.spec?.containers?.[0]?.name ??
        '';
      return runOn(
        `pod/${name}`,
        () => env.podExec(p.namespace, name, container, p.command, p.timeoutMs),
        p.timeoutMs + 1000,
        `exec in ${name}`,
      );
    }),
  );
  return { t: 'exec', views, where };
}

/** The outcome of a value probe's conditions over what it saw. */
export function outcomeOf(
  p: ValueProbe,
  conditions: Condition[],
  seen: Seen,
): Outcome | { error: string } | undefined {
  if (seen.t === 'pending') return undefined;
  if (seen.t === 'error') return { error: seen.error };
  switch (p.probe) {
    case 'resource':
      return evaluateResource(p, conditions, (seen as Extract<Seen, { t: 'objects' }>).objects);
    case 'event':
      return evaluateEvents(p, conditions, (seen as Extract<Seen, { t: 'objects' }>).objects as EventLike[]);
    case 'nodeExec':
    case 'podExec': {
      const s = seen as Extract<Seen, { t: 'exec' }>;
      return evaluateExec(p, s.where, conditions, s.views);
    }
    case 'http':
      return evaluateHttp(p, conditions, (seen as Extract<Seen, { t: 'http' }>).view);
  }
}

/** The value at `path` in what a probe saw, for answer checks; undefined when there is none yet. */
export function valueAt(p: ValueProbe, path: JsonPath, seen: Seen): string | undefined {
  let target: unknown;
  if (seen.t === 'objects') {
    if (p.probe === 'resource') target = selectObjects(p, seen.objects)[0];
    else if (p.probe === 'event')
      target = (seen.objects as EventLike[]).filter((e) => eventMatches(p, e)).at(-1);
  } else if (seen.t === 'exec') target = seen.views.find((v) => v.exitCode === 0);
  else if (seen.t === 'http') target = 'error' in seen.view ? undefined : seen.view;
  if (target === undefined) return undefined;
  const text = printJsonPath(path, target).trim();
  return text === '' ? undefined : text;
}

/** Whether the learner's answer is the expected one: trimmed, case-insensitive, numbers by value. */
export function answerMatches(given: string, expected: string): boolean {
  const a = given.trim();
  const b = expected.trim();
  if (a.toLowerCase() === b.toLowerCase()) return true;
  const x = Number(a);
  const y = Number(b);
  return a !== '' && b !== '' && !Number.isNaN(x) && x === y;
}

export { formatValue };
