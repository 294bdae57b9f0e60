// Check latency: how long from an API write to the verdict event that reflects it, through the
// scenario engine's shared informer and evaluator (src/kube, src/checks) against the sim.
import * as path from 'node:path';
import { fetchReply } from '../dist/checks/env.js';
import { startEvaluation } from '../dist/checks/evaluator.js';
import { parseJsonPath } from '../dist/checks/jsonpath/parse.js';
import { connect } from '../dist/kube/index.js';
import { request, startSim, stopSim } from './lib/sim.js';

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Rows for the report: p50/p95/max over `writes` writes, each flipping the check's verdict. */
export async function checkLatency(tmp, writes = 200) {
  const lab = await startSim(path.join(tmp, 'checks'));
  const kube = connect(lab.kubeconfig);
  const cm = (v) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'latency' }, data: { v } });
  await request(lab, 'POST', '/api/v1/namespaces/default/configmaps', cm('b'));
  const check = {
    id: 'flag',
    description: 'the flag is up',
    probe: { probe: 'resource', apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'latency' },
    conditions: [{ t: 'path', path: parseJsonPath('{.data.v}'), test: { op: 'equals', value: 'a' } }],
    holdsForMs: 0,
  };
  let waiting;
  const env = {
    watch: (key, onChange) => kube.informers.acquire(key, onChange),
    nodes: async () => [],
    podExec: kube.podExec,
    apiRequest: (m, p, o) => kube.client.request(m, p, o),
    fetch: fetchReply,
    capabilities: new Set(),
  };
  const evaluation = startEvaluation([check], env, (v) => {
    if (waiting && v.ok === waiting.ok) waiting.resolve(performance.now());
  });
  const times = [];
  try {
    await new Promise((resolve) => {
      waiting = { ok: false, resolve };
    });
    for (let i = 0; i < writes; i++) {
      const ok = i % 2 === 0;
      const seen = new Promise((resolve) => {
        waiting = { ok, resolve };
      });
      const t = performance.now();
      await request(lab, 'PUT', '/api/v1/namespaces/default/configmaps/latency', cm(ok ? 'a' : 'b'));
      times.push((await seen) - t);
    }
  } finally {
    evaluation.stop();
    await kube.close();
    await stopSim(lab);
  }
  times.sort((a, b) => a - b);
  const ms = (x) => `${x.toFixed(1)} ms`;
  return [
    [`check latency, API write → verdict (${writes} writes, p50)`, ms(percentile(times, 50))],
    ['  p95', ms(percentile(times, 95))],
    ['  max', ms(times.at(-1))],
  ];
}
