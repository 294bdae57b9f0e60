/**
 * The sim as a background process: `node dist/sim/main.js --dir <lab dir>`. Started detached
 * by `clusterlab up`; stopped with SIGTERM by `clusterlab down` (it snapshots its state and
 * removes its pid file). Everything it says goes to `sim.log` in the lab directory.
 */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { labFiles, writeFileAtomic } from './files.js';
import { createLogger, type Level } from './log.js';
import { serveLab } from './serve.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      'log-level': { type: 'string', default: 'info' },
    },
  });
  if (!values.dir) {
    process.stderr.write('usage: sim --dir <lab directory> [--log-level debug|info|warn|error]\n');
    process.exit(2);
  }
  const dir = values.dir;
  const files = labFiles(dir);
  const logStream = fs.createWriteStream(files.log, { flags: 'a' });
  const log = createLogger((line) => logStream.write(line), values['log-level'] as Level);

  const existing = readPid(files.pid);
  if (existing && existing !== process.pid && alive(existing)) {
    log.error(`another sim (pid ${existing}) already serves this lab`);
    process.exit(3);
  }
  writeFileAtomic(files.pid, String(process.pid), 0o644);

  let running: Awaited<ReturnType<typeof serveLab>>;
  try {
    running = await serveLab(dir, log);
  } catch (err) {
    log.error(`could not start: ${(err as Error).stack ?? err}`);
    fs.rmSync(files.pid, { force: true });
    logStream.end(() => process.exit(1));
    return;
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: saving state and stopping`);
    try {
      await running.close();
    } finally {
      fs.rmSync(files.pid, { force: true });
      fs.rmSync(files.endpoint, { force: true });
      logStream.end(() => process.exit(0));
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGHUP', () => undefined);
  process.on('uncaughtException', (err) => {
    log.error(`uncaught: ${err.stack ?? err}`);
  });
}

function readPid(file: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie (exited, not yet reaped — common in containers whose PID 1 does not reap)
  // still answers signal 0 but serves nothing.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

void main();
