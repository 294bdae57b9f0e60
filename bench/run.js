#!/usr/bin/env node
// `npm run bench`: numbers, not pass/fail. Runs the built sim as its own process (durability
// on, as a learner's lab runs) and the real kubectl against it.
//
//   CLUSTERLAB_BENCH_PODS=10000  pods for the memory figure (default 10000)
//   CLUSTERLAB_BENCH_QUICK=1     smaller sizes, for a smoke run
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkLatency } from './checks.js';
import { clusterScale } from './cluster.js';
import { kubectlMedian } from './lib/kubectl.js';
import { fmtMs, printTable } from './lib/report.js';
import { createMany, startSim, stopSim } from './lib/sim.js';
import { tuiIdle } from './tui.js';

const quick = process.env.CLUSTERLAB_BENCH_QUICK === '1';
const memoryPods = Number(process.env.CLUSTERLAB_BENCH_PODS ?? (quick ? 1000 : 10000));
const listPods = quick ? 200 : 1000;

const pod = (i) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `bench-${i}`, labels: { app: 'bench', shard: String(i % 10) } },
  spec: {
    containers: [
      { name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '10m', memory: '16Mi' } } },
    ],
  },
});
const configMap = (i) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: `w-${i}` },
  data: { i: String(i) },
});

/** The kubectl the PATH's `kubectl` runs against the lab (Google's dispatcher picks by server version). */
function kubectlVersionAgainst(lab) {
  const out = execFileSync('kubectl', ['version', '-o', 'json'], {
    encoding: 'utf8',
    env: { ...process.env, KUBECONFIG: lab.kubeconfig },
  });
  return JSON.parse(out).clientVersion.gitVersion;
}

/** Wall time of the user-visible `clusterlab up` and `down` on a fresh state directory. */
function timeCli(home) {
  const bin = path.resolve(import.meta.dirname, '..', 'bin', 'clusterlab.js');
  const env = { ...process.env, CLUSTERLAB_HOME: home, NO_COLOR: '1' };
  const run = (args) => {
    const t = performance.now();
    execFileSync(process.execPath, [bin, ...args], { env, stdio: 'ignore' });
    return performance.now() - t;
  };
  return { up: run(['up', '--name', 'bench']), down: run(['down', '--name', 'bench']) };
}

function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function main() {
  const rows = [];
  let kubectlUsed = '?';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-bench-'));
  try {
    // 1. Lab up: a fresh lab (keys, certificates, bootstrap objects), then a restart with state.
    const cli = timeCli(path.join(tmp, 'home'));
    rows.push(['clusterlab up (CLI: files, process, API, nodes Ready)', fmtMs(cli.up)]);
    rows.push(['clusterlab down', fmtMs(cli.down)]);
    const fresh = await startSim(path.join(tmp, 'up'));
    rows.push(['lab up, fresh (process start → API ready)', fmtMs(fresh.readyMs)]);
    await stopSim(fresh);
    const again = await startSim(path.join(tmp, 'up'));
    rows.push(['lab up, existing state (restart → API ready)', fmtMs(again.readyMs)]);
    await stopSim(again);

    // 2. kubectl get pods -A with N pods, relative to kubectl get --raw /version in the same run.
    const lab = await startSim(path.join(tmp, 'list'));
    await createMany(lab, '/api/v1/namespaces/default/pods', listPods, pod, 32);
    kubectlUsed = kubectlVersionAgainst(lab);
    const version = await kubectlMedian(lab, ['get', '--raw', '/version'], 7);
    const pods = await kubectlMedian(lab, ['get', 'pods', '-A'], 7);
    rows.push([`kubectl get --raw /version (median of 7)`, fmtMs(version.ms)]);
    rows.push([`kubectl get pods -A, ${listPods} pods (median of 7)`, fmtMs(pods.ms)]);
    rows.push([`  ratio get pods -A / get --raw /version`, `${(pods.ms / version.ms).toFixed(2)}×`]);
    // The lab's own kube-system pods (CoreDNS, kindnet, kube-proxy, …) are listed too.
    if (pods.lines < listPods + 1) rows.push(['  !! fewer lines than pods', String(pods.lines)]);

    // 3. Write throughput with durability (fsync before every acknowledgement).
    const seq = await createMany(lab, '/api/v1/namespaces/default/configmaps', 300, configMap, 1, 0);
    rows.push(['writes/s, 1 client, durable', `${(300 / (seq / 1000)).toFixed(0)}`]);
    const par = await createMany(lab, '/api/v1/namespaces/default/configmaps', 2000, configMap, 32, 1000);
    rows.push(['writes/s, 32 clients, durable (group commit)', `${(2000 / (par / 1000)).toFixed(0)}`]);
    await stopSim(lab);

    // 4. Memory with many pods.
    const big = await startSim(path.join(tmp, 'memory'));
    const idle = rssMiB(big.child.pid);
    const t = await createMany(big, '/api/v1/namespaces/default/pods', memoryPods, pod, 64);
    global.gc?.();
    await new Promise((r) => setTimeout(r, 500));
    rows.push(['sim RSS, idle lab', `${idle.toFixed(0)} MiB`]);
    rows.push([`sim RSS with ${memoryPods} pods`, `${rssMiB(big.child.pid).toFixed(0)} MiB`]);
    rows.push([
      `create ${memoryPods} pods, 64 clients`,
      `${fmtMs(t)} (${(memoryPods / (t / 1000)).toFixed(0)}/s)`,
    ]);
    const journal = path.join(tmp, 'memory', 'state', 'journal.ndjson');
    if (fs.existsSync(journal))
      rows.push(['journal size after that', `${(fs.statSync(journal).size / 1048576).toFixed(1)} MiB`]);
    await stopSim(big);

    // 5. Scenario checks: from an API write to the verdict, through the shared informer.
    rows.push(...(await checkLatency(tmp)));

    // 6. Cluster scale: 100 nodes with their kubelets, 10,000 pods Running.
    rows.push(...(await clusterScale(tmp, quick ? { nodes: 10, pods: 500 } : {})));
    rows.push(...(await (await import('./vagrant.js')).vagrantBench(tmp)));
    rows.push(...(await tuiIdle(tmp))); // 7. The terminal app: first frame, CPU while idle.
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(
    `\nclusterlab sim benchmarks — ${os.cpus().length} CPUs, node ${process.version}, kubectl ${kubectlUsed}\n`,
  );
  printTable(rows);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
