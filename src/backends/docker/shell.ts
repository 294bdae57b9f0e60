import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { TerminalIO } from '../types.js';
import { execExitCode } from './exec.js';

/**
 * An interactive shell in a container, as `docker exec -it <container> bash` gives: with a
 * TTY, Docker sends one raw stream (nothing to demultiplex), the local terminal is put in raw
 * mode so keys such as Ctrl-C reach the remote shell, and window size changes follow the local
 * terminal. Resolves with the shell's exit code once it ends.
 */
export async function dockerShell(
  docker: Docker,
  container: string,
  io: TerminalIO,
  argv: string[] = ['bash', '-l'],
): Promise<number> {
  const exec = await docker.getContainer(container).exec({
    Cmd: argv,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
    Env: [`TERM=${process.env.TERM || 'xterm-256color'}`],
  });
  const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
  const resize = () => {
    const { rows, columns } = io.stdout;
    if (rows && columns) exec.resize({ h: rows, w: columns }).catch(() => undefined);
  };
  const raw = io.stdin.isTTY ? io.stdin.isRaw : undefined;
  if (raw !== undefined) io.stdin.setRawMode(true);
  io.stdin.pipe(stream);
  stream.on('data', (chunk: Buffer) => io.stdout.write(chunk));
  io.stdout.on('resize', resize);
  resize();
  try {
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
  } finally {
    io.stdout.off('resize', resize);
    io.stdin.unpipe(stream);
    if (raw !== undefined) io.stdin.setRawMode(raw);
    io.stdin.pause();
  }
  return execExitCode(exec);
}
