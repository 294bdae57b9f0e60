import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, requireBuild } from './helpers/cli.js';

const run = promisify(execFile);
const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

/** A Node older than 22 on this machine (the system one, typically), to check the re-exec. */
function oldNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (!fs.existsSync(candidate)) continue;
    const major = Number(execFileSync(candidate, ['-p', 'process.versions.node.split(".")[0]']).toString());
    if (major < 22) return candidate;
  }
  return undefined;
}
const old = oldNode();

describe('bin/clusterlab.js', () => {
  it.skipIf(!old)(`on an old Node (${old}) re-runs itself with the project's Node 24`, async () => {
    requireBuild();
    const { stdout } = await run(old!, [BIN, '--version']);
    expect(stdout.trim()).toBe(version);
    const info = await run(old!, [BIN, 'info', '--json'], {
      env: { ...process.env, CLUSTERLAB_HOME: os.tmpdir() },
    });
    expect(JSON.parse(info.stdout).nodeVersion).toMatch(/^v(2[2-9]|[3-9]\d)\./);
  });

  it.skipIf(!old)('passes the exit code back through the re-exec', async () => {
    const err = await run(old!, [BIN, 'up', '--nodes', 'x']).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toContain("option '--nodes <count>' argument 'x' is invalid");
  });

  it('without a build, says to run npm run build', async () => {
    const pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-unbuilt-'));
    try {
      fs.mkdirSync(path.join(pkg, 'bin'));
      fs.copyFileSync(BIN, path.join(pkg, 'bin', 'clusterlab.js'));
      fs.writeFileSync(
        path.join(pkg, 'package.json'),
        JSON.stringify({ name: 'clusterlab', type: 'module' }),
      );
      const err = await run(process.execPath, [path.join(pkg, 'bin', 'clusterlab.js'), 'up']).catch((e) => e);
      expect(err.code).toBe(1);
      expect(err.stderr).toContain('clusterlab is not built yet');
      expect(err.stderr).toContain(`fix: cd ${pkg} && npm run build`);
    } finally {
      fs.rmSync(pkg, { recursive: true, force: true });
    }
  });
});
