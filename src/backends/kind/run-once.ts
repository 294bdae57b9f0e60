import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';

/** Run a command in a throwaway container of `image` (entrypoint replaced) and return its stdout. */
export async function dockerExecOnce(docker: Docker, image: string, argv: string[]): Promise<string> {
  const [entrypoint, ...cmd] = argv;
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: [entrypoint!],
    Cmd: cmd,
    Tty: false,
    HostConfig: { AutoRemove: false },
  });
  try {
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const out: Buffer[] = [];
    const stdout = new PassThrough().on('data', (c: Buffer) => out.push(c));
    docker.modem.demuxStream(stream, stdout, new PassThrough().resume());
    const ended = new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
    });
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    await ended;
    if (StatusCode !== 0) throw new Error(`${argv.join(' ')} in ${image} exited with code ${StatusCode}`);
    return Buffer.concat(out).toString('utf8');
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
