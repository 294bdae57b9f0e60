import { execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labNodes } from '../../src/backends/labs.js';
import { silentLogger } from '../../src/backends/types.js';
import { BIN, type CliHome, type CliResult, cliHome, ROOT, requireBuild } from '../cli/helpers/cli.js';

/**
 * The real thing, opt-in: CLUSTERLAB_E2E_KIND=1 with Docker, kind and kubectl on the machine
 * and the internet reachable (kindest/node, CRI-O packages, the control-plane images). It
 * builds the CRI-O node image, creates a 3-node cluster with kind, checks every node runs
 * CRI-O, runs the sample scenario on a fresh kind lab, and deletes everything. README: "The
 * real kind end to end". About 10–20 minutes on a laptop, most of it the first image build
 * and the nodes' first image pulls.
 */
const enabled = process.env.CLUSTERLAB_E2E_KIND === '1';
if (!enabled)
  console.warn(
    'SKIP: the real-kind end-to-end test runs only with CLUSTERLAB_E2E_KIND=1 (it needs Docker, kind and the internet)',
  );
const MIN = 60_000;

/** The CLI, given the minutes a real cluster takes (the suite helper stops a run after 90 s). */
function runLong(home: CliHome, args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: home.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
      process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe.skipIf(!enabled)('kind with CRI-O nodes, for real', () => {
  let home: CliHome;
  const lab = 'e2e-crio';
  beforeAll(() => {
    requireBuild();
    home = cliHome();
    home.env.KUBECONFIG = '';
  });
  afterAll(async () => {
    await home?.cleanup();
  }, 5 * MIN);

  it(
    'builds the node image and makes a 3-node cluster whose every node runs CRI-O',
    async () => {
      const up = await runLong(home, ['up', '--name', lab, '--lab', 'kind']);
      expect(up.code, up.stderr).toBe(0);
      const kubeconfig = (await home.ok(['kubeconfig', '--name', lab])).stdout.trim();
      const runtimes = execFileSync(
        'kubectl',
        [
          '--kubeconfig',
          kubeconfig,
          'get',
          'nodes',
          '-o',
          'jsonpath={range .items[*]}{.metadata.name}={.status.nodeInfo.containerRuntimeVersion}{"\\n"}{end}',
        ],
        { encoding: 'utf8' },
      )
        .trim()
        .split('\n');
      expect(runtimes).toHaveLength(3);
      for (const line of runtimes) expect(line).toMatch(/=cri-o:\/\/1\.33\./);
      const nodes = await labNodes(lab, { stateDir: home.dir, log: silentLogger, env: home.env });
      for (const n of nodes) {
        const r = await n.exec(['crictl', 'version']);
        expect(r.exitCode, r.stderr).toBe(0);
        expect(r.stdout).toContain('RuntimeName:  cri-o');
      }
      // Short image names resolve (unqualified-search-registries), as tutorials expect.
      const run = execFileSync(
        'kubectl',
        ['--kubeconfig', kubeconfig, 'run', 'web', '--image=nginx:1.27', '--restart=Never'],
        { encoding: 'utf8' },
      );
      expect(run).toContain('pod/web created');
      execFileSync('kubectl', [
        '--kubeconfig',
        kubeconfig,
        'wait',
        '--for=condition=Ready',
        'pod/web',
        '--timeout=300s',
      ]);
      const down = await runLong(home, ['down', '--name', lab]);
      expect(down.code, down.stderr).toBe(0);
    },
    30 * MIN,
  );

  it(
    'passes the sample scenario on a fresh kind lab, node and pod commands included',
    async () => {
      const sample = path.join(ROOT, 'test', 'fixtures', 'scenarios', 'sample');
      const r = await runLong(home, ['scenario', 'test', sample, '--backend', 'kind', '--trust']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/sample-shop: ok — 7 passed, 0 failed/);
    },
    30 * MIN,
  );
});
