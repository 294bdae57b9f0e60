import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildTopology, type SimConfig } from '../../src/sim/config.js';
import { labFiles } from '../../src/sim/files.js';
import { silentLogger } from '../../src/sim/log.js';
import { type RunningSim, type ServeOptions, type SimLabFile, serveLab } from '../../src/sim/serve.js';

export interface TestLab {
  dir: string;
  kubeconfig: string;
  server: string;
  token: string;
  caCert: string;
  sim: RunningSim;
  stop(): Promise<void>;
}

/** A sim lab served in this process from a fresh temporary directory. */
export async function startTestLab(
  opts: { name?: string; nodes?: number; config?: SimConfig } & ServeOptions = {},
): Promise<TestLab> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-test-'));
  const lab: SimLabFile = {
    backend: 'sim',
    config: opts.config ?? buildTopology({ name: opts.name ?? 'lab', nodes: opts.nodes ?? 3 }),
    createdAt: new Date().toISOString(),
  };
  fs.writeFileSync(labFiles(dir).lab, JSON.stringify(lab));
  const sim = await serveLab(dir, silentLogger, { noSync: true, ...opts });
  const f = labFiles(dir);
  return {
    dir,
    kubeconfig: f.kubeconfig,
    server: sim.endpoint.server,
    token: fs.readFileSync(f.token, 'utf8').trim(),
    caCert: fs.readFileSync(f.caCert, 'utf8'),
    sim,
    async stop() {
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
