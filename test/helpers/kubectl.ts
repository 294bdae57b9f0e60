import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface KubectlResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface KubectlOptions {
  input?: string;
  allowFail?: boolean;
  /** Called with each piece of stdout as it arrives (for commands that follow, like `rollout status`). */
  onStdout?: (chunk: string) => void;
}

export interface Kubectl {
  /** Version label (`1.33` or `PATH`). */
  label: string;
  bin: string;
  (args: string[], opts?: KubectlOptions): Promise<KubectlResult>;
}

function realPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, bin);
    if (fs.existsSync(p)) return fs.realpathSync(p);
  }
  return undefined;
}

/** `kubectl` on PATH, or undefined when it is missing. */
export function kubectlOnPath(): string | undefined {
  return realPath('kubectl');
}

/**
 * Every kubectl ≥ minMinor found: the one on PATH and the `kubectl.1.NN` binaries the
 * google-cloud-cli package installs beside the binary the `kubectl` symlink points to.
 */
export function kubectlVersions(minMinor = 29): Array<{ label: string; bin: string }> {
  const main = kubectlOnPath();
  if (!main) return [];
  const out = [{ label: 'PATH', bin: main }];
  const dir = path.dirname(main);
  for (const f of fs.readdirSync(dir).sort()) {
    const m = /^kubectl\.1\.(\d+)$/.exec(f);
    if (m && Number(m[1]) >= minMinor) out.push({ label: `1.${m[1]}`, bin: path.join(dir, f) });
  }
  return out;
}

export function kubectlFor(bin: string, kubeconfig: string, label = 'PATH'): Kubectl {
  const fn = (async (args: string[], opts: KubectlOptions = {}) => {
    const home = path.join(path.dirname(kubeconfig), 'kubectl-home');
    fs.mkdirSync(home, { recursive: true });
    const child = run(bin, args, {
      env: { ...process.env, KUBECONFIG: kubeconfig, HOME: home, KUBECACHEDIR: path.join(home, 'cache') },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 60_000,
    });
    if (opts.onStdout) child.child.stdout?.on('data', (d: Buffer | string) => opts.onStdout?.(String(d)));
    if (opts.input !== undefined) {
      child.child.stdin?.end(opts.input);
    }
    try {
      const { stdout, stderr } = await child;
      return { stdout, stderr, code: 0 };
    } catch (e: any) {
      const r = {
        stdout: e.stdout ?? '',
        stderr: e.stderr ?? String(e),
        code: typeof e.code === 'number' ? e.code : 1,
      };
      if (!opts.allowFail) {
        throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
      }
      return r;
    }
  }) as Kubectl;
  fn.label = label;
  fn.bin = bin;
  return fn;
}
