import type Docker from 'dockerode';
import { imageExists } from './containers.js';
import { contextFiles, hashContext } from './context-hash.js';

export interface BuildRequest {
  contextDir: string;
  /** Repository of the tag; the tag itself is `<tagPrefix>-<hash of the context>`. */
  repository: string;
  tagPrefix: string;
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface BuildEvents {
  /** One line of the build's own output ("Step 2/7 : RUN apt-get …"). */
  line?(text: string): void;
  /** Build steps done so far out of all of them, from the builder's "Step N/M". */
  step?(done: number, total: number): void;
}

export interface BuildResult {
  image: string;
  /** False when an image with this context's hash was already there. */
  built: boolean;
}

export class ImageBuildError extends Error {
  override readonly name = 'ImageBuildError';
  constructor(
    message: string,
    /** The last lines the build printed, for the error report. */
    readonly output: string[],
  ) {
    super(message);
  }
}

/** The tag an image of this context gets: the same context always gives the same tag. */
export function contextTag(req: BuildRequest): string {
  const hash = hashContext(req.contextDir, req.buildArgs).slice(0, 12);
  return `${req.repository}:${req.tagPrefix}-${hash}`;
}

/**
 * Build the context into an image tagged by its hash, streaming progress; an image with that
 * tag already present is reused without building.
 */
export async function buildContextImage(
  docker: Docker,
  req: BuildRequest,
  events: BuildEvents = {},
  signal?: AbortSignal,
): Promise<BuildResult> {
  const image = contextTag(req);
  if (await imageExists(docker, image)) return { image, built: false };
  const stream = await docker.buildImage(
    { context: req.contextDir, src: contextFiles(req.contextDir) },
    {
      t: image,
      buildargs: req.buildArgs,
      labels: req.labels,
      rm: true,
      forcerm: true,
      abortSignal: signal,
    },
  );
  const tail: string[] = [];
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err) => (err ? reject(err) : resolve()),
      (event: { stream?: string; status?: string; error?: string; errorDetail?: { message?: string } }) => {
        const text = event.stream ?? event.status;
        if (text)
          for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
            tail.push(line);
            if (tail.length > 20) tail.shift();
            events.line?.(line);
            const m = /^Step (\d+)\/(\d+) :/.exec(line);
            if (m) events.step?.(Number(m[1]) - 1, Number(m[2]));
          }
        if (event.error) {
          const msg = event.errorDetail?.message ?? event.error;
          tail.push(msg);
          (stream as NodeJS.ReadableStream & { destroy?(): void }).destroy?.();
          reject(new ImageBuildError(`docker build of ${image} failed: ${msg}`, tail.slice(-15)));
        }
      },
    );
  });
  if (!(await imageExists(docker, image)))
    throw new ImageBuildError(`docker build of ${image} ended without making the image`, tail.slice(-15));
  return { image, built: true };
}
