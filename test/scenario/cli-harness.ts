import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

/** The CLI run in this process (from the TypeScript sources), with its output captured. */

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Harness {
  home: string;
  state: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], o?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<InProcessResult>;
  cleanup(): void;
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => {
    text += d.toString('utf8');
  });
  return { stream, text: () => text };
}

export function harness(): Harness {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-scenario-'));
  const state = path.join(base, 'state');
  const home = path.join(base, 'home');
  const cwd = path.join(base, 'work');
  fs.mkdirSync(home);
  fs.mkdirSync(cwd);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CLUSTERLAB_HOME: state,
    HOME: home,
    CLUSTERLAB_LEARNER: 'ada',
    NO_COLOR: '1',
  };
  return {
    home,
    state,
    cwd,
    env,
    async run(args, o = {}) {
      const out = capture();
      const err = capture();
      const io: CliIO = {
        stdout: out.stream,
        stderr: err.stream,
        env: { ...env, ...o.env },
        cwd: o.cwd ?? cwd,
        platform: process.platform,
        childStdio: 'ignore',
      };
      const code = await main(args, io);
      return { code, stdout: out.text(), stderr: err.text() };
    },
    cleanup() {
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}
