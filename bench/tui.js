// The terminal app: time to its first frame, and the CPU it uses while the runner idles.
// Runs the built CLI in a real terminal (tmux, 80×24) on a fresh sim lab with the sample
// scenario; the app writes its pid and first-frame time when CLUSTERLAB_TUI_STATS is set.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fmtMs } from './lib/report.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'clusterlab.js');
const SAMPLE = path.join(ROOT, 'test', 'fixtures', 'scenarios', 'sample');
const IDLE_MS = 10_000;
const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

const tmuxBin = () => ['/usr/bin/tmux', '/usr/local/bin/tmux'].find((p) => fs.existsSync(p));

/** utime + stime of a process, in ms, from /proc (Linux). */
function cpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const hz = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return (ticks * 1000) / hz;
}

async function until(pred, ms, what) {
  const end = performance.now() + ms;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (performance.now() > end) throw new Error(`bench/tui: ${what} did not happen within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function tuiIdle(tmp) {
  const tmux = tmuxBin();
  if (!tmux || !fs.existsSync('/proc/self/stat')) return [['terminal app', 'skipped (needs tmux and /proc)']];
  const home = path.join(tmp, 'tui');
  const stats = path.join(tmp, 'tui-stats.json');
  fs.mkdirSync(home, { recursive: true });
  const session = `clusterlab-bench-${process.pid}`;
  const t = (...args) => execFileSync(tmux, args, { encoding: 'utf8' });
  const screen = () => t('capture-pane', '-p', '-t', session);
  const cmd =
    `cd ${q(ROOT)} && CLUSTERLAB_HOME=${q(home)} CLUSTERLAB_TUI_STATS=${q(stats)} TERM=xterm-256color ` +
    `${q(process.execPath)} ${q(BIN)} start ${q(SAMPLE)} --trust`;
  const t0 = performance.now();
  t('new-session', '-d', '-s', session, '-x', '80', '-y', '24', `sh -c ${q(cmd)}`);
  try {
    await until(() => screen().trim() !== '', 30_000, 'a first frame');
    const seen = performance.now() - t0;
    await until(() => /step 1\/7/.test(screen()) && /actual/.test(screen()), 60_000, 'the runner');
    const ready = performance.now() - t0;
    const { pid, firstFrameMs } = JSON.parse(fs.readFileSync(stats, 'utf8'));
    const before = cpuMs(pid);
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const used = cpuMs(pid) - before;
    t('send-keys', '-t', session, 'q');
    return [
      ['clusterlab start: process start → first frame (in the app)', fmtMs(firstFrameMs)],
      ['clusterlab start: spawn → first frame on screen (tmux)', fmtMs(seen)],
      ['clusterlab start: spawn → runner with live checks (fresh lab)', fmtMs(ready)],
      [
        `runner idle ${IDLE_MS / 1000} s: CPU time of the app`,
        `${fmtMs(used)} (${((used / IDLE_MS) * 100).toFixed(2)}% of a core)`,
      ],
    ];
  } finally {
    try {
      t('kill-session', '-t', session);
    } catch {
      // Already gone.
    }
    execFileSync(process.execPath, [BIN, 'down'], {
      env: { ...process.env, CLUSTERLAB_HOME: home },
      stdio: 'ignore',
    });
  }
}

// `node bench/tui.js` runs only this part.
if (import.meta.url === `file://${process.argv[1]}`) {
  const tmp = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'clusterlab-bench-tui-'));
  try {
    const { printTable } = await import('./lib/report.js');
    printTable(await tuiIdle(tmp));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
