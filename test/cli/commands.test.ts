import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/table.js';
import { type CliHome, cliHome, ROOT, requireBuild } from './helpers/cli.js';

const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

describe('clusterlab commands: help, errors, CI conditions (built CLI)', () => {
  let home: CliHome;
  beforeAll(() => {
    requireBuild();
    home = cliHome();
  });
  afterAll(() => home?.cleanup());

  it.each(COMMANDS.map((c) => c.name))('%s --help explains the command with examples', async (name) => {
    const r = await home.ok([name, '--help']);
    expect(r.stdout).toContain(`Usage: clusterlab ${name} [options]`);
    expect(r.stdout).toContain('--verbose');
    expect(r.stdout).toMatch(new RegExp(`Examples:\n {2}# .+\n {2}.*clusterlab ${name}`));
  });

  it('--help prints the overview of all commands', async () => {
    const r = await home.ok(['--help']);
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^ {2}${c.name} `, 'm'));
    expect(r.stdout).toContain('Start here:\n  clusterlab up');
  });

  it('without a command opens the app, which without a terminal says so and names the scriptable commands', async () => {
    const r = await home.run([]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "error: clusterlab's interactive app needs a terminal, and its output is not a terminal.",
    );
    expect(r.stderr).toMatch(/clusterlab scenario list\s+the scenarios/);
    expect(r.stdout).toBe('');
  });

  it('--version prints the package version', async () => {
    expect((await home.ok(['--version'])).stdout.trim()).toBe(version);
  });

  it('a mistyped command or option exits 2 with a suggestion and where to read more', async () => {
    const cmd = await home.run(['stauts']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain("error: unknown command 'stauts'\n(Did you mean status?)");
    const opt = await home.run(['up', '--node', '2']);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain(
      "unknown option '--node'\n(Did you mean --nodes?)\n  see: clusterlab up --help",
    );
    const nodes = await home.run(['up', '--nodes', 'three']);
    expect(nodes.code).toBe(2);
    expect(nodes.stderr).toContain('it must be a whole number of at least 1');
  });

  it('up --backend kind without kind on PATH says kind is missing and how to install it', async () => {
    const r = await home.run(['up', '--backend', 'kind'], {
      env: { PATH: path.dirname(process.execPath) },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: cannot start lab "lab": kind is not installed');
    expect(r.stderr).toMatch(/fix: .*kind/);
    expect(fs.existsSync(path.join(home.dir, 'labs', 'lab'))).toBe(false);
  });

  it('up with an invalid name explains the rule and suggests a valid name', async () => {
    const r = await home.run(['up', '--name', 'My_Lab']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `error: lab name "My_Lab" is not valid: use lowercase letters, digits and '-'`,
    );
    expect(r.stderr).toContain('fix: npx clusterlab up --name my-lab');
    const long = await home.run(['up', '--name', 'x'.repeat(41)]);
    expect(long.code).toBe(1);
    expect(long.stderr).toContain('is 41 characters long; at most 40 are allowed');
  });

  it('a name that would leave the state directory is refused by every command', async () => {
    for (const cmd of ['down', 'status', 'kubeconfig']) {
      const r = await home.run([cmd, '--name', '../../etc']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('lab name "../../etc" is not valid');
    }
  });

  it('up --lab with an unknown id lists the lab definitions', async () => {
    const r = await home.run(['up', '--lab', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /error: there is no lab definition "nope"; the labs are: default, .*single-node, small-workers/,
    );
    expect(r.stderr).toContain('fix: npx clusterlab up --lab default');
  });

  it('commands on a lab that does not exist say so and how to create it', async () => {
    for (const cmd of ['kubeconfig', 'kubectl']) {
      const r = await home.run([cmd, '--name', 'ghost']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('error: there is no lab called "ghost"');
      expect(r.stderr).toContain('fix: npx clusterlab up --name ghost');
    }
    const st = await home.run(['status', '--name', 'ghost']);
    expect(st.code).toBe(1);
    expect(st.stdout).toContain(
      'there is no lab called "ghost".\n  start it: npx clusterlab up --name ghost',
    );
  });

  it('kubectl missing from PATH gives the command that installs it', async () => {
    const r = await home.run(['kubectl', '--', 'get', 'nodes'], {
      env: { PATH: path.dirname(process.execPath) },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error: kubectl is not installed');
    expect(r.stderr).toMatch(/fix: .*(dl\.k8s\.io|brew install kubectl|winget install)/);
  });

  it('works with stdin closed, as on CI: up, status, down', async () => {
    const up = await home.run(['up', '--name', 'ci', '--nodes', '1'], { closedStdin: true });
    expect(up.code, up.stderr).toBe(0);
    const st = await home.run(['status', '--name', 'ci', '--json'], { closedStdin: true });
    expect(JSON.parse(st.stdout).status).toBe('running');
    const down = await home.run(['down', '--name', 'ci'], { closedStdin: true });
    expect(down.code).toBe(0);
  });

  it('list with no labs says how to start one', async () => {
    const r = await home.ok(['list']);
    expect(r.stdout).toBe('No labs yet. Start one with: npx clusterlab up\n');
    expect(JSON.parse((await home.ok(['list', '--json'])).stdout)).toEqual({ labs: [] });
  });
});
