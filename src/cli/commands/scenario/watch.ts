import * as fs from 'node:fs';
import { displayPath, formatProblem, loadScenario } from '../../../scenario/load.js';
import { folderHash, TrustStore } from '../../../session/trust.js';
import type { CommandContext } from '../../context.js';
import { builtinScenarios, scenarioDirs } from './find.js';
import { testAll } from './test.js';

/**
 * Re-validate and re-test a scenario whenever its files change, until Ctrl-C. File events come
 * from fs.watch; where they are unreliable (network drives, some containers) or
 * CLUSTERLAB_WATCH_POLL=1 is set, the folder's content hash is polled instead.
 */
export async function run(
  o: { backend?: string; trust?: boolean; test?: boolean },
  args: string[],
  ctx: CommandContext,
): Promise<number> {
  const dir = scenarioDirs([args[0]!], ctx.io.cwd)[0]!;
  const rel = displayPath(dir, ctx.io.cwd);
  const trust = new TrustStore(ctx.stateDir, builtinScenarios());
  const testing = o.test !== false;
  if (testing) {
    if (o.trust && !trust.isTrusted(dir)) trust.trust(dir);
    trust.require(dir);
  }
  const out = ctx.io.stdout;
  let lastHash = '';
  const once = async () => {
    lastHash = folderHash(dir);
    const r = loadScenario(dir);
    if (!r.ok) {
      for (const p of r.problems) out.write(`${formatProblem(p, ctx.io.cwd)}\n`);
      out.write(
        `${ctx.out.red('✗')} ${rel}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}; waiting for changes…\n`,
      );
      return;
    }
    out.write(`${ctx.out.green('✓')} ${rel}: valid\n`);
    if (!testing) {
      out.write('Waiting for changes…\n');
      return;
    }
    // You are editing this folder while watching it: your edits stay trusted.
    trust.trust(dir);
    await testAll([r.scenario], { backend: o.backend }, ctx);
    out.write('Waiting for changes…\n');
  };
  await once();
  await watchUntilAborted(dir, ctx, async () => {
    if (folderHash(dir) === lastHash) return;
    out.write(`\n${ctx.out.dim(`${new Date().toLocaleTimeString()} change in ${rel}`)}\n`);
    await once();
  });
  return 0;
}

function watchUntilAborted(dir: string, ctx: CommandContext, onChange: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let busy = false;
    let again = false;
    let debounce: NodeJS.Timeout | undefined;
    const fire = async () => {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      try {
        do {
          again = false;
          await onChange();
        } while (again && !ctx.signal.aborted);
      } finally {
        busy = false;
      }
    };
    const poke = () => {
      if (debounce) clearTimeout(debounce);
      debounce = setTimeout(() => void fire(), 200);
    };
    let watcher: fs.FSWatcher | undefined;
    let poll: NodeJS.Timeout | undefined;
    const pollMs = Number(ctx.io.env.CLUSTERLAB_WATCH_POLL_MS) || 1000;
    // Polling: onChange compares the folder's content hash, so a tick with no change costs a hash.
    const startPolling = () => {
      poll = setInterval(() => void fire(), pollMs);
    };
    if (ctx.io.env.CLUSTERLAB_WATCH_POLL === '1') startPolling();
    else {
      try {
        watcher = fs.watch(dir, { recursive: true }, poke);
        watcher.on('error', () => {
          watcher?.close();
          watcher = undefined;
          startPolling();
        });
      } catch {
        startPolling();
      }
    }
    ctx.signal.addEventListener(
      'abort',
      () => {
        watcher?.close();
        if (poll) clearInterval(poll);
        if (debounce) clearTimeout(debounce);
        resolve();
      },
      { once: true },
    );
  });
}
