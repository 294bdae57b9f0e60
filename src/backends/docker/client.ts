import Docker from 'dockerode';
import { UserError } from '../../errors.js';
import { dockerFixes } from './fixes.js';

/**
 * The Docker engine, as the docker CLI would find it: DOCKER_HOST when set (tcp://, unix://,
 * npipe://), otherwise the platform's socket (dockerode's defaults), so a user whose `docker`
 * works has a working clusterlab too.
 */
export function dockerClient(env: NodeJS.ProcessEnv = process.env): Docker {
  const host = env.DOCKER_HOST;
  if (!host) return new Docker();
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  if (host.startsWith('npipe://')) return new Docker({ socketPath: host.slice('npipe://'.length) });
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return new Docker({ host: url.hostname, port: Number(url.port) || 2375, protocol: 'http' });
}

export interface DockerFacts {
  serverVersion: string;
  memoryBytes: number;
  cpus: number;
  os: string;
  rootDir: string;
  cgroupVersion?: string;
}

/** What the engine says about itself; the error explains how to make Docker answer. */
export async function dockerFacts(docker: Docker, platform: NodeJS.Platform = process.platform) {
  try {
    const info = await docker.info();
    return {
      serverVersion: String(info.ServerVersion ?? ''),
      memoryBytes: Number(info.MemTotal ?? 0),
      cpus: Number(info.NCPU ?? 0),
      os: String(info.OperatingSystem ?? ''),
      rootDir: String(info.DockerRootDir ?? ''),
      cgroupVersion: info.CgroupVersion ? String(info.CgroupVersion) : undefined,
    } satisfies DockerFacts;
  } catch (err) {
    throw dockerUnreachable(err, platform);
  }
}

/** Why Docker did not answer, worded for a person, with the command that fixes it here. */
export function dockerUnreachable(err: unknown, platform: NodeJS.Platform = process.platform): UserError {
  const e = err as NodeJS.ErrnoException & { address?: string };
  const fixes = dockerFixes(platform);
  if (e.code === 'EACCES')
    return new UserError(
      `Docker is running but this user may not use it (permission denied on ${e.address ?? 'its socket'})`,
      { fix: fixes.permission, cause: err },
    );
  if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED')
    return new UserError(`Docker is not running (nothing answers on ${e.address ?? 'its socket'})`, {
      fix: fixes.start,
      cause: err,
    });
  return new UserError(`Docker does not answer: ${e.message}`, { fix: fixes.start, cause: err });
}
