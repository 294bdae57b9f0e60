// Start and stop the built sim as a process, and drive it over HTTPS.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { buildTopology } from '../../dist/sim/config.js';

const simMain = path.resolve(import.meta.dirname, '..', '..', 'dist', 'sim', 'main.js');

export async function startSim(dir, nodes = 3) {
  fs.mkdirSync(dir, { recursive: true });
  const labFile = path.join(dir, 'lab.json');
  if (!fs.existsSync(labFile)) {
    fs.writeFileSync(
      labFile,
      JSON.stringify({
        backend: 'sim',
        config: buildTopology({ name: 'bench', nodes }),
        createdAt: new Date().toISOString(),
      }),
    );
  }
  fs.rmSync(path.join(dir, 'endpoint.json'), { force: true });
  const started = performance.now();
  const child = spawn(process.execPath, [simMain, '--dir', dir], { stdio: 'ignore' });
  for (;;) {
    try {
      const ep = JSON.parse(fs.readFileSync(path.join(dir, 'endpoint.json'), 'utf8'));
      if (ep.pid === child.pid) {
        const lab = {
          dir,
          child,
          server: ep.server,
          token: fs.readFileSync(path.join(dir, 'token'), 'utf8').trim(),
          ca: fs.readFileSync(path.join(dir, 'pki', 'ca.crt'), 'utf8'),
          kubeconfig: path.join(dir, 'kubeconfig'),
        };
        lab.agent = new https.Agent({ ca: lab.ca, keepAlive: true, maxSockets: 128 });
        await request(lab, 'GET', '/readyz');
        return { ...lab, readyMs: performance.now() - started };
      }
    } catch {
      // not yet
    }
    if (child.exitCode !== null) throw new Error(`sim exited: see ${dir}/sim.log`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function stopSim(lab) {
  lab.agent.destroy();
  if (lab.child.exitCode !== null) return;
  const exited = new Promise((r) => lab.child.once('exit', r));
  lab.child.kill('SIGTERM');
  await exited;
}

export function request(lab, method, p, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(
      new URL(p, lab.server),
      {
        method,
        agent: lab.agent,
        headers: {
          authorization: `Bearer ${lab.token}`,
          ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode >= 400)
            reject(new Error(`${method} ${p}: ${res.statusCode} ${text.slice(0, 200)}`));
          else resolve(text);
        });
      },
    );
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

/** Create `count` objects with `concurrency` clients; returns elapsed ms. */
export async function createMany(lab, collection, count, make, concurrency, offset = 0) {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      await request(lab, 'POST', collection, make(i + offset));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - started;
}
