import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/table.js';
import { parseArgv, UsageError } from '../../src/cli/parse.js';

const parse = (...argv: string[]) => parseArgv(argv, '1.2.3');
const usage = (...argv: string[]) => {
  try {
    parse(...argv);
  } catch (e) {
    if (e instanceof UsageError) return { message: e.message, help: e.helpCommand };
    throw e;
  }
  throw new Error(`${argv.join(' ')} parsed`);
};

describe('parseArgv: argv → command and options, without running anything', () => {
  it('up with its options', () => {
    expect(parse('up')).toEqual({ kind: 'run', command: 'up', options: {}, args: [] });
    expect(
      parse('up', '--name', 'a', '--nodes', '2', '--lab', 'single-node', '--backend', 'sim', '--json'),
    ).toEqual({
      kind: 'run',
      command: 'up',
      options: { name: 'a', nodes: 2, lab: 'single-node', backend: 'sim', json: true },
      args: [],
    });
    expect(parse('up', '--name=b')).toMatchObject({
      options: { name: 'b' },
    });
  });

  it('--nodes takes whole numbers of at least 1', () => {
    expect(usage('up', '--nodes', '0').message).toContain('it must be a whole number of at least 1');
    expect(usage('up', '--nodes', '2.5').message).toContain("argument '2.5' is invalid");
    expect(usage('up', '--nodes').message).toBe("option '--nodes <count>' argument missing");
  });

  it('every command takes --verbose, and the JSON commands take --json', () => {
    for (const c of COMMANDS) {
      // Commands with a required argument (`start <scenario>`) get one.
      const required = c.args?.startsWith('<') ? ['x'] : [];
      expect(parse(c.name, ...required, '--verbose')).toMatchObject({ options: { verbose: true } });
    }
    for (const name of ['up', 'down', 'status', 'list', 'info'])
      expect(parse(name, '--json')).toMatchObject({ options: { json: true } });
  });

  it('kubectl passes everything after -- through, untouched', () => {
    expect(parse('kubectl', '--', 'get', 'nodes', '-o', 'wide')).toEqual({
      kind: 'run',
      command: 'kubectl',
      options: {},
      args: ['get', 'nodes', '-o', 'wide'],
    });
    expect(
      parse('kubectl', '--name', 'a', '--', 'get', 'pods', '--name', 'x', '-n', 'kube-system'),
    ).toMatchObject({
      options: { name: 'a' },
      args: ['get', 'pods', '--name', 'x', '-n', 'kube-system'],
    });
  });

  it('kubectl also passes options after its first argument through without --', () => {
    expect(parse('kubectl', 'get', 'pods', '-A', '--name', 'x')).toMatchObject({
      options: {},
      args: ['get', 'pods', '-A', '--name', 'x'],
    });
  });

  it("kubectl's own options before its first argument need --, and the error shows how", () => {
    const e = usage('kubectl', '-n', 'kube-system', 'get', 'pods');
    expect(e.message).toBe(
      `unknown option '-n'; kubectl's own options go after "--", as in: clusterlab kubectl -- -n kube-system get pods`,
    );
    expect(e.help).toBe('clusterlab kubectl --help');
  });

  it('commands that take no arguments refuse stray ones', () => {
    expect(usage('down', 'lab').message).toBe(
      "too many arguments for 'down'. Expected 0 arguments but got 1.",
    );
  });

  it('mistakes get a suggestion and the help command to read', () => {
    expect(usage('stauts')).toEqual({
      message: "unknown command 'stauts'\n(Did you mean status?)",
      help: 'clusterlab --help',
    });
    expect(usage('up', '--nme', 'a')).toEqual({
      message: "unknown option '--nme'\n(Did you mean --name?)",
      help: 'clusterlab up --help',
    });
  });

  it('help and version are printed, not run', () => {
    expect(parse('--version')).toEqual({ kind: 'print', text: '1.2.3\n' });
    for (const argv of [
      ['up', '--help'],
      ['up', '-h'],
      ['help', 'up'],
    ]) {
      const p = parse(...argv);
      expect(p.kind).toBe('print');
      expect(p.kind === 'print' && p.text).toContain('Usage: clusterlab up [options]');
    }
    const overview = parse('--help');
    expect(overview.kind === 'print' && overview.text).toContain('Usage: clusterlab [options] [command]');
    // Without a command, clusterlab opens the app's Home screen.
    expect(parse()).toMatchObject({ kind: 'run', command: 'home' });
  });
});
