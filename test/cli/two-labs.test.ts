import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlOnPath } from '../helpers/kubectl.js';
import { missingTool } from '../helpers/tools.js';
import { type CliHome, cliHome, requireBuild } from './helpers/cli.js';

const skip = kubectlOnPath() ? undefined : missingTool('kubectl', 'the lab suites run the real kubectl');

describe.skipIf(!!skip)('two labs side by side (built CLI, sim backend)', () => {
  let home: CliHome;
  beforeAll(async () => {
    requireBuild();
    home = cliHome();
    await home.ok(['up', '--name', 'a']);
    await home.ok(['up', '--name', 'b', '--nodes', '2']);
  });
  afterAll(() => home?.cleanup());

  it('list --json shows both, each with its backend, status, node count and creation time', async () => {
    const { labs } = JSON.parse((await home.ok(['list', '--json'])).stdout);
    expect(labs.map((l: any) => [l.name, l.backend, l.status, l.nodes])).toEqual([
      ['a', 'sim', 'running', 3],
      ['b', 'sim', 'running', 2],
    ]);
    expect(labs[0].server).not.toBe(labs[1].server);
    for (const l of labs) expect(Number.isNaN(Date.parse(l.createdAt))).toBe(false);
  });

  it('list prints a table a person reads', async () => {
    const lines = (await home.ok(['list'])).stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+BACKEND\s+STATUS\s+NODES\s+AGE\s+SERVER$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 4).join(' '))).toEqual([
      'a sim running 3',
      'b sim running 2',
    ]);
  });

  it('each lab answers kubectl with its own nodes', async () => {
    const nodes = async (name: string) =>
      (await home.ok(['kubectl', '--name', name, '--', 'get', 'nodes', '-o', 'name'])).stdout
        .trim()
        .split('\n');
    expect(await nodes('a')).toEqual(['node/a-control-plane', 'node/a-worker', 'node/a-worker2']);
    expect(await nodes('b')).toEqual(['node/b-control-plane', 'node/b-worker']);
  });

  it('down of one leaves the other running', async () => {
    await home.ok(['down', '--name', 'a']);
    const { labs } = JSON.parse((await home.ok(['list', '--json'])).stdout);
    expect(labs.map((l: any) => [l.name, l.status])).toEqual([['b', 'running']]);
    await home.ok(['kubectl', '--name', 'b', '--', 'get', 'nodes']);
  });
});
