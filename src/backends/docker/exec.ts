import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type { ExecResult } from '../types.js';

export interface DockerExecOptions {
  /** Bytes written to the command's stdin, which is then closed. */
  stdin?: string | Buffer;
  env?: string[];
  user?: string;
  privileged?: boolean;
  signal?: AbortSignal;
}

/**
 * Run `argv` in a running container, like `docker exec`: without a TTY Docker multiplexes
 * stdout and stderr into one stream of framed chunks, which are split apart here; the exit
 * code comes from inspecting the exec once its stream ends.
 */
export async function dockerExec(
  docker: Docker,
  container: string,
  argv: string[],
  o: DockerExecOptions = {},
): Promise<ExecResult> {
  const exec = await docker.getContainer(container).exec({
    Cmd: argv,
    AttachStdin: o.stdin !== undefined,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    Env: o.env,
    User: o.user,
    Privileged: o.privileged,
  });
  const stream = await exec.start({ hijack: true, stdin: o.stdin !== undefined, abortSignal: o.signal });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough().on('data', (c: Buffer) => out.push(c));
  const stderr = new PassThrough().on('data', (c: Buffer) => err.push(c));
  docker.modem.demuxStream(stream, stdout, stderr);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
    if (o.stdin !== undefined) (stream as NodeJS.WritableStream).end(o.stdin);
  });
  return {
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    exitCode: await execExitCode(exec),
  };
}

/** The stream can end a moment before Docker records the exit code; ask until it has one. */
export async function execExitCode(exec: Docker.Exec): Promise<number> {
  for (let i = 0; ; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null && info.ExitCode !== undefined) return info.ExitCode;
    if (i >= 100) throw new Error('Docker did not report the exit code of the command');
    await new Promise((r) => setTimeout(r, 20));
  }
}
