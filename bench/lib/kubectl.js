// Time the real kubectl against a bench lab.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Median wall time of `runs` invocations (after one warm-up that fills kubectl's discovery cache). */
export async function kubectlMedian(lab, args, runs) {
  const home = path.join(lab.dir, 'kubectl-home');
  fs.mkdirSync(home, { recursive: true });
  const env = { ...process.env, KUBECONFIG: lab.kubeconfig, HOME: home };
  await run('kubectl', args, { env, maxBuffer: 256 * 1024 * 1024 });
  const times = [];
  let lines = 0;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const { stdout } = await run('kubectl', args, { env, maxBuffer: 256 * 1024 * 1024 });
    times.push(performance.now() - t);
    lines = stdout.trim().split('\n').length;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], lines };
}
