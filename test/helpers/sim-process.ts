import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildTopology } from '../../src/sim/config.js';
import { type EndpointInfo, labFiles } from '../../src/sim/files.js';
import type { SimLabFile } from '../../src/sim/serve.js';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const simMain = path.join(repoRoot, 'dist', 'sim', 'main.js');

/** The built sim must exist: `npm test` builds first; a bare `vitest` run may not have. */
export function requireBuild(): void {
  if (!fs.existsSync(simMain))
    throw new Error(`${simMain} is missing: run \`npm run build\` first (npm test does)`);
}

export function makeLabDir(name = 'lab', nodes = 3): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-proc-'));
  const lab: SimLabFile = {
    backend: 'sim',
    config: buildTopology({ name, nodes }),
    createdAt: new Date().toISOString(),
  };
  fs.writeFileSync(labFiles(dir).lab, JSON.stringify(lab));
  return dir;
}

export interface SimProcess {
  child: ChildProcess;
  endpoint: EndpointInfo;
  lab: { server: string; token: string; caCert: string };
}

/** Start `dist/sim/main.js --dir` as its own process and wait until it serves. */
export async function startSimProcess(dir: string, timeoutMs = 20_000): Promise<SimProcess> {
  requireBuild();
  const f = labFiles(dir);
  fs.rmSync(f.endpoint, { force: true });
  const child = spawn(process.execPath, [simMain, '--dir', dir], { stdio: 'ignore' });
  const end = Date.now() + timeoutMs;
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  for (;;) {
    if (exited !== null) throw new Error(`sim exited with ${exited}:\n${tail(f.log)}`);
    try {
      const endpoint = JSON.parse(fs.readFileSync(f.endpoint, 'utf8')) as EndpointInfo;
      if (endpoint.pid === child.pid) {
        return {
          child,
          endpoint,
          lab: {
            server: endpoint.server,
            token: fs.readFileSync(f.token, 'utf8').trim(),
            caCert: fs.readFileSync(f.caCert, 'utf8'),
          },
        };
      }
    } catch {
      // Not written yet.
    }
    if (Date.now() > end) {
      child.kill('SIGKILL');
      throw new Error(`sim did not come up in ${timeoutMs}ms:\n${tail(f.log)}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

export function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

function tail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}
