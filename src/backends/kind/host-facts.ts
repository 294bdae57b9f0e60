import * as fs from 'node:fs';
import type Docker from 'dockerode';
import { execa } from 'execa';
import type { UserError } from '../../errors.js';
import { dockerFacts } from '../docker/client.js';
import { dockerFixes } from '../docker/fixes.js';
import { findOnPath } from '../host-tools.js';
import { parseKindVersion } from './kind-cli.js';
import type { KindHostFacts } from './preflight.js';

/** Look at the host: Docker, kind, inotify limits and free disk; nothing here decides anything. */
export async function gatherKindHostFacts(
  docker: Docker,
  env: NodeJS.ProcessEnv,
  nodes: number,
  stateDir: string,
): Promise<KindHostFacts> {
  const platform = process.platform;
  const facts: KindHostFacts = {
    platform,
    arch: process.arch,
    docker: { ok: false, problem: '', fix: '' },
    nodes,
  };
  let rootDir: string | undefined;
  try {
    const d = await dockerFacts(docker, platform);
    facts.docker = { ok: true, memoryBytes: d.memoryBytes, cpus: d.cpus };
    rootDir = d.rootDir;
  } catch (err) {
    const e = err as UserError;
    const code = (e.cause as NodeJS.ErrnoException | undefined)?.code;
    // No socket and no docker command: Docker is not installed, rather than stopped.
    facts.docker =
      code === 'ENOENT' && !findOnPath('docker', env)
        ? {
            ok: false,
            problem: 'Docker is not installed (kind runs its nodes as Docker containers)',
            fix: dockerFixes(platform).install,
          }
        : { ok: false, problem: e.message, fix: e.fix ?? '' };
  }
  const kind = findOnPath('kind', env);
  if (kind) {
    const out = await execa(kind, ['version'], { env, extendEnv: false, reject: false, timeout: 10_000 });
    facts.kind = { path: kind, version: parseKindVersion(String(out.stdout)) };
  }
  if (platform === 'linux') {
    facts.inotify = {
      maxUserWatches: readNumber('/proc/sys/fs/inotify/max_user_watches'),
      maxUserInstances: readNumber('/proc/sys/fs/inotify/max_user_instances'),
    };
  }
  // On Linux Docker's images live on this machine's disk; elsewhere in Docker Desktop's VM,
  // whose disk we cannot see from here, so the state directory's disk is the best guess.
  const where =
    platform === 'linux' && rootDir && fs.existsSync(rootDir) ? rootDir : existingParent(stateDir);
  try {
    const s = fs.statfsSync(where);
    facts.freeDiskBytes = s.bavail * s.bsize;
  } catch {
    // Unknown; not worth failing over.
  }
  return facts;
}

function readNumber(file: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

function existingParent(dir: string): string {
  let d = dir;
  while (!fs.existsSync(d)) {
    const up = d.replace(/[\\/][^\\/]*$/, '');
    if (up === d || up === '') return '/';
    d = up;
  }
  return d;
}
