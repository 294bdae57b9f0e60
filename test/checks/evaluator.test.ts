import { afterEach, describe, expect, it } from 'vitest';
import { type Evaluation, startEvaluation } from '../../src/checks/evaluator.js';
import { checksFrom, fakeCluster, until, verdicts } from './support.js';

/** The evaluator against a fake cluster: watch events, fake node handles and a fake pod exec. */

const NS = { apiVersion: 'v1', kind: 'Namespace' };
const DEPLOY = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop' };
const PODS = { apiVersion: 'v1', kind: 'Pod', namespace: 'shop' };
const EVENTS = { apiVersion: 'v1', kind: 'Event', namespace: 'shop' };

let ev: Evaluation | undefined;
afterEach(() => ev?.stop());

describe('resource and event checks re-evaluate on every watch event', () => {
  it('a named object: missing, wrong, right — one verdict per change', () => {
    const fc = fakeCluster();
    const v = verdicts();
    const checks = checksFrom(`- id: ready
  description: web has 3 ready replicas
  resource: { apiVersion: apps/v1, kind: Deployment, namespace: shop, name: web }
  expect:
    - path: "{.status.readyReplicas}"
      equals: 3`);
    ev = startEvaluation(checks, fc.env, v.emit);
    expect(v.all).toEqual([]); // no verdict before the cache is synced
    fc.set(DEPLOY, []);
    expect(v.last('ready')).toEqual({
      checkId: 'ready',
      ok: false,
      expected: 'Deployment shop/web: {.status.readyReplicas} equals "3"',
      actual: 'Deployment shop/web does not exist',
    });
    const web = (ready: number) => ({
      metadata: { name: 'web', namespace: 'shop' },
      status: { readyReplicas: ready },
    });
    fc.set(DEPLOY, [web(1)]);
    expect(v.last('ready')?.actual).toBe('Deployment shop/web: {.status.readyReplicas} is "1"');
    fc.set(DEPLOY, [web(1)]); // an event that changes nothing the check sees
    expect(v.count('ready')).toBe(2);
    fc.set(DEPLOY, [web(3)]);
    expect(v.last('ready')?.ok).toBe(true);
  });

  it('an object that must be gone', () => {
    const fc = fakeCluster();
    const v = verdicts();
    ev = startEvaluation(
      checksFrom(`- id: gone
  description: the namespace legacy is deleted
  resource: { apiVersion: v1, kind: Namespace, name: legacy }
  expect: [{ path: "{.metadata.name}", absent: true }]`),
      fc.env,
      v.emit,
    );
    fc.set(NS, [{ metadata: { name: 'legacy' } }]);
    expect(v.last('gone')?.ok).toBe(false);
    fc.set(NS, []);
    expect(v.last('gone')?.ok).toBe(true);
  });

  it('a selection by labels with a count', () => {
    const fc = fakeCluster();
    const v = verdicts();
    ev = startEvaluation(
      checksFrom(`- id: running
  description: two web pods run
  resource: { apiVersion: v1, kind: Pod, namespace: shop, labelSelector: app=web, count: { gte: 2 } }
  expect: [{ path: "{.status.phase}", equals: Running }]`),
      fc.env,
      v.emit,
    );
    const pod = (name: string, phase: string, app = 'web') => ({
      metadata: { name, namespace: 'shop', labels: { app } },
      status: { phase },
    });
    fc.set(PODS, [pod('web-1', 'Running'), pod('web-2', 'Pending'), pod('db-1', 'Running', 'db')]);
    expect(v.last('running')).toMatchObject({
      ok: false,
      expected:
        'at least 2 of the Pods in namespace shop with labels app=web: {.status.phase} equals "Running"',
      actual: '2 objects selected, 1 matches; web-2: {.status.phase} is "Pending"',
    });
    fc.set(PODS, [pod('web-1', 'Running'), pod('web-2', 'Running')]);
    expect(v.last('running')?.ok).toBe(true);
  });

  it('events by reason and involved object', () => {
    const fc = fakeCluster();
    const v = verdicts();
    ev = startEvaluation(
      checksFrom(`- id: oom
  description: the hog was OOMKilled
  event: { namespace: shop, reason: OOMKilled, involvedObject: { kind: Pod, name: hog } }`),
      fc.env,
      v.emit,
    );
    const e = (reason: string, name: string) => ({
      reason,
      involvedObject: { kind: 'Pod', name },
      lastTimestamp: '2025-01-01T00:00:00Z',
    });
    fc.set(EVENTS, [e('Scheduled', 'hog')]);
    expect(v.last('oom')).toMatchObject({
      ok: false,
      expected: 'an Event with reason OOMKilled about Pod hog in namespace shop',
      actual: 'no such Event; the latest in shop is Scheduled about Pod hog',
    });
    fc.set(EVENTS, [e('Scheduled', 'hog'), e('OOMKilled', 'hog')]);
    expect(v.last('oom')?.ok).toBe(true);
  });

  it('a watch that fails reports why, and recovers', () => {
    const fc = fakeCluster();
    const v = verdicts();
    ev = startEvaluation(
      checksFrom(`- id: ns
  description: shop exists
  resource: { apiVersion: v1, kind: Namespace, name: shop }`),
      fc.env,
      v.emit,
    );
    fc.fail(NS, 'connect ECONNREFUSED 127.0.0.1:6443');
    expect(v.last('ns')).toMatchObject({
      ok: false,
      error: 'cannot watch: connect ECONNREFUSED 127.0.0.1:6443',
    });
    fc.set(NS, [{ metadata: { name: 'shop' } }]);
    expect(v.last('ns')?.ok).toBe(true);
  });

  it('stop releases every watch', () => {
    const fc = fakeCluster();
    ev = startEvaluation(
      checksFrom(`- id: a
  description: a
  resource: { apiVersion: v1, kind: Namespace, name: shop }
- id: b
  description: b
  resource: { apiVersion: v1, kind: Namespace, name: web }`),
      fc.env,
      () => undefined,
    );
    expect(fc.open()).toEqual(['v1|Namespace|*']);
    ev.stop();
    expect(fc.open()).toEqual([]);
  });
});

describe('exec and http checks run, re-run on watch events, and time out', () => {
  it('nodeExec on the workers, against fake node handles', async () => {
    const fc = fakeCluster();
    const memory = { 'lab-worker': 'max\n', 'lab-worker2': '134217728\n' };
    fc.nodes = [
      {
        name: 'lab-control-plane',
        role: 'control-plane',
        exec: async () => ({ stdout: 'x', stderr: '', exitCode: 0 }),
      },
      ...Object.entries(memory).map(([name]) => ({
        name,
        role: 'worker' as const,
        exec: async (argv: string[]) => ({
          stdout: argv.join(' ').includes('memory.max') ? memory[name as keyof typeof memory] : '',
          stderr: '',
          exitCode: 0,
        }),
      })),
    ];
    const v = verdicts();
    ev = startEvaluation(
      checksFrom(`- id: limit
  description: one worker limits the pod to 128Mi
  nodeExec:
    node: { role: worker }
    command: cat /sys/fs/cgroup/kubepods.slice/memory.max
  expect: [{ path: "{.stdout}", matches: "^134217728" }]
- id: all
  description: every worker has a limit
  nodeExec:
    node: { role: worker }
    on: all
    command: cat /sys/fs/cgroup/kubepods.slice/memory.max
  expect: [{ path: "{.stdout}", matches: "^\\\\d+" }]`),
      fc.env,
      v.emit,
    );
    await until('verdicts', () => v.last('limit') && v.last('all'));
    expect(v.last('limit')).toMatchObject({ ok: true, actual: 'lab-worker2: {.stdout} is "134217728\\n"' });
    expect(v.last('all')).toMatchObject({
      ok: false,
      expected:
        '"sh -c \'cat /sys/fs/cgroup/kubepods.slice/memory.max\'" on every of the worker nodes: {.stdout} matches /^\\d+/',
      actual: 'lab-worker: {.stdout} is "max\\n"',
    });
  });

  it('a command that hangs is stopped at its timeout and reported', async () => {
    const fc = fakeCluster();
    fc.nodes = [{ name: 'n1', role: 'worker', exec: () => new Promise(() => undefined) }];
    const v = verdicts();
    ev = startEvaluation(
      checksFrom(`- id: hang
  description: hangs
  nodeExec: { command: sleep 100, timeout: 50ms }`),
      fc.env,
      v.emit,
    );
    await until('the timeout', () => v.last('hang'));
    expect(v.last('hang')?.actual).toBe('n1: "sh -c \'sleep 100\'" on n1 did not finish within 50 ms');
  });

  it('without the capability, the check is "not available", not failed, and nothing runs', () => {
    const fc = fakeCluster([]);
    let ran = 0;
    fc.nodes = [
      { name: 'n1', role: 'worker', exec: async () => ({ stdout: '', stderr: '', exitCode: 0 * ++ran }) },
    ];
    const v = verdicts();
    ev = startEvaluation(
      checksFrom(`- id: n\n  description: d\n  nodeExec: { command: 'true' }`),
      fc.env,
      v.emit,
    );
    expect(v.last('n')).toMatchObject({
      ok: false,
      unavailable: 'this lab cannot run nodeExec probes (not available on this backend yet)',
    });
    expect(ran).toBe(0);
  });

  it('podExec picks Running pods by label, uses their first container, and re-runs when the pods change', async () => {
    const fc = fakeCluster();
    fc.podExecReply = (_ns, pod) => ({
      stdout: pod === 'web-2' ? 'blue\n' : '',
      stderr: '',
      exitCode: pod === 'web-2' ? 0 : 1,
    });
    const v = verdicts();
    ev = startEvaluation(
      checksFrom(`- id: env
  description: every web container sees COLOR=blue
  podExec: { namespace: shop, labelSelector: app=web, command: [printenv, COLOR], on: all }
  expect: [{ path: "{.stdout}", matches: "^blue" }]`),
      fc.env,
      v.emit,
      { debounceMs: 1, backoffMinMs: 60_000 },
    );
    const pod = (name: string, phase = 'Running') => ({
      metadata: { name, namespace: 'shop', labels: { app: 'web' } },
      spec: { containers: [{ name: 'nginx' }, { name: 'sidecar' }] },
      status: { phase },
    });
    fc.set(PODS, [pod('web-1'), pod('web-2'), pod('web-3', 'Pending')]);
    await until('a verdict', () => v.last('env')?.actual.includes('web-1') && v.last('env'));
    expect(v.last('env')?.ok).toBe(false);
    expect(fc.podExecCalls).toContain('shop/web-1/nginx: printenv COLOR');
    expect(fc.podExecCalls.some((c) => c.includes('web-3'))).toBe(false);
    fc.set(PODS, [pod('web-2')]); // the old pod is gone after a rollout: re-run at once, not after the back-off
    await until('the re-run', () => v.last('env')?.ok);
  });

  it('http on the API server and on a URL; no conditions means a 2xx answer', async () => {
    const fc = fakeCluster();
    fc.http = (url) =>
      url === 'api:/api/v1/namespaces/shop/services/web'
        ? { status: 200, body: '{"spec":{"type":"ClusterIP"}}', headers: {} }
        : { status: 503, body: 'upstream not ready', headers: {} };
    const v = verdicts();
    ev = startEvaluation(
      checksFrom(`- id: api
  description: the Service is a ClusterIP
  http: { apiServer: /api/v1/namespaces/shop/services/web }
  expect: [{ path: "{.json.spec.type}", equals: ClusterIP }]
- id: route
  description: the route answers
  http: { url: "http://hello.shop.127.0.0.1.sslip.io/" }`),
      fc.env,
      v.emit,
    );
    await until('verdicts', () => v.last('api') && v.last('route'));
    expect(v.last('api')?.ok).toBe(true);
    expect(v.last('route')).toMatchObject({
      ok: false,
      expected:
        'GET http://hello.shop.127.0.0.1.sslip.io/: {.status} is at least 200; {.status} is less than 300',
      actual: 'HTTP 503: {.status} is "503"',
    });
  });
});

describe('answer checks', () => {
  it('compare the learner’s answer with what the lab shows, without revealing it in the message', () => {
    const fc = fakeCluster();
    const v = verdicts();
    ev = startEvaluation(
      checksFrom(`- id: ip
  description: you found the ClusterIP
  answer:
    prompt: Which ClusterIP did the Service get?
    from:
      resource: { apiVersion: v1, kind: Service, namespace: shop, name: web }
      path: "{.spec.clusterIP}"`),
      fc.env,
      v.emit,
    );
    const SVC = { apiVersion: 'v1', kind: 'Service', namespace: 'shop' };
    fc.set(SVC, []);
    expect(v.last('ip')).toMatchObject({
      ok: false,
      actual: 'no answer yet',
      error: 'the lab does not show {.spec.clusterIP} yet (Service shop/web does not exist)',
    });
    fc.set(SVC, [{ metadata: { name: 'web', namespace: 'shop' }, spec: { clusterIP: '10.96.12.7' } }]);
    expect(v.last('ip')).toEqual({
      checkId: 'ip',
      ok: false,
      expected: 'the answer to "Which ClusterIP did the Service get?"',
      actual: 'no answer yet',
      answer: '10.96.12.7',
    });
    ev.answer('ip', '10.96.0.1');
    expect(v.last('ip')).toMatchObject({ ok: false, actual: 'you answered "10.96.0.1"' });
    expect(JSON.stringify({ e: v.last('ip')?.expected, a: v.last('ip')?.actual })).not.toContain(
      '10.96.12.7',
    );
    ev.answer('ip', ' 10.96.12.7 ');
    expect(v.last('ip')?.ok).toBe(true);
  });

  it('a fixed answer (a quiz question) is compared case-insensitively, numbers by value', () => {
    const fc = fakeCluster();
    const v = verdicts();
    ev = startEvaluation(
      checksFrom(`- id: q
  description: q
  answer: { prompt: "Which kind keeps the replica count?", from: { value: ReplicaSet } }
- id: n
  description: n
  answer: { prompt: "How many?", from: { value: 3 } }`),
      fc.env,
      v.emit,
      { answers: { q: 'replicaset' } },
    );
    expect(v.last('q')?.ok).toBe(true);
    ev.answer('n', '3.0');
    expect(v.last('n')?.ok).toBe(true);
  });
});
