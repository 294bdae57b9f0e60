// Cluster scale: register nodes the way kind nodes' kubelets register (each gets a simulated
// kubelet), create pods bound to them, and time until every pod is Running; then the sim's
// memory at that size. Pods use the pause image, which every kind node has, so the figure is
// the sim's own work rather than simulated image pulls.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildTopology } from '../dist/sim/config.js';
import { nodeObject } from '../dist/sim/controllers/bootstrap.js';
import { fmtMs } from './lib/report.js';
import { createMany, request, startSim, stopSim } from './lib/sim.js';

const rssMiB = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const pod = (i, node) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `scale-${i}`, labels: { app: 'scale' } },
  spec: {
    nodeName: node,
    containers: [
      {
        name: 'app',
        image: 'registry.k8s.io/pause:3.10',
        resources: { requests: { cpu: '5m', memory: '8Mi' } },
      },
    ],
  },
});

async function notRunning(lab) {
  const body = JSON.parse(
    await request(lab, 'GET', '/api/v1/pods?fieldSelector=status.phase!%3DRunning&limit=1'),
  );
  return body.items.length + (body.metadata.remainingItemCount ?? 0);
}

/** Rows for the report. */
export async function clusterScale(tmp, { nodes = 100, pods = 10_000 } = {}) {
  const rows = [];
  const lab = await startSim(path.join(tmp, 'cluster'));
  try {
    const topology = buildTopology({ name: 'bench', nodes });
    const extra = topology.nodes.slice(3);
    const t0 = performance.now();
    await createMany(
      lab,
      '/api/v1/nodes',
      extra.length,
      (i) => nodeObject(topology, extra[i], new Date()),
      16,
    );
    rows.push([`register ${extra.length} more nodes (${nodes} in all)`, fmtMs(performance.now() - t0)]);

    const workers = topology.nodes.filter((n) => n.role === 'worker').map((n) => n.name);
    const t1 = performance.now();
    await createMany(
      lab,
      '/api/v1/namespaces/default/pods',
      pods,
      (i) => pod(i, workers[i % workers.length]),
      64,
    );
    const created = performance.now() - t1;
    let left = await notRunning(lab);
    while (left > 0) {
      await new Promise((r) => setTimeout(r, 250));
      left = await notRunning(lab);
    }
    const running = performance.now() - t1;
    rows.push([
      `create ${pods} pods on ${workers.length} workers, 64 clients`,
      `${fmtMs(created)} (${(pods / (created / 1000)).toFixed(0)}/s)`,
    ]);
    rows.push([
      `  … until all ${pods} are Running`,
      `${fmtMs(running)} (${(pods / (running / 1000)).toFixed(0)}/s)`,
    ]);
    global.gc?.();
    await new Promise((r) => setTimeout(r, 500));
    rows.push([
      `sim RSS, ${nodes} nodes and ${pods} Running pods`,
      `${rssMiB(lab.child.pid).toFixed(0)} MiB`,
    ]);
  } finally {
    await stopSim(lab);
  }
  return rows;
}
