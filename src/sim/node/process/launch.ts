import type { CatalogImage, ImageVariant, ProgramKind } from '../images/catalog.js';
import { hello, memcached, nginx } from './apps.js';
import { APPLETS } from './shell/applets.js';
import { ShellProcess } from './shell-process.js';
import { StressProcess } from './stress.js';
import { systemServer } from './system.js';
import type { Process } from './types.js';

/**
 * What runs when a container starts: the argv Kubernetes and the image config make together
 * (`command` replaces ENTRYPOINT, `args` replaces CMD), then the program that argv names in
 * this image. The seam for a fuller shell: everything that is a shell or one of its applets
 * becomes a `ShellProcess`.
 */

export type Launch = { ok: true; argv: string[]; process: Process } | { ok: false; message: string };

/** The container's argv, as the runtime assembles it. */
export function containerArgv(image: CatalogImage, command?: string[], args?: string[]): string[] {
  if (command && command.length > 0) return [...command, ...(args ?? [])];
  return [...image.entrypoint, ...(args ?? image.cmd)];
}

const SHELLS = new Set(['sh', 'ash', 'dash', 'bash']);

function createFailed(why: string): Launch {
  return { ok: false, message: `container create failed: unable to start container process: ${why}` };
}

function program(
  kind: ProgramKind,
  args: string[],
  env: Record<string, string>,
  image: CatalogImage,
): Process {
  switch (kind) {
    case 'nginx':
      return nginx(image.env.NGINX_VERSION ?? '1.27.5');
    case 'hello':
      return hello(env);
    case 'memcached':
      return memcached(args);
    case 'stress':
      return new StressProcess(args);
    default:
      return systemServer(kind)!;
  }
}

function select(
  image: CatalogImage,
  variant: ImageVariant,
  argv: string[],
  env: Record<string, string>,
): Launch {
  const [exe, ...rest] = argv;
  if (exe === undefined) return createFailed('exec: no command specified');
  const base = exe.split('/').pop()!;
  if (base === 'docker-entrypoint.sh') {
    // The official images' entrypoints: memcached's prepends `memcached` to flags, both exec "$@".
    const next =
      image.programs.memcached && (rest.length === 0 || rest[0]!.startsWith('-'))
        ? ['memcached', ...rest]
        : rest;
    return select(image, variant, next, env);
  }
  const kind = image.programs[base];
  if (kind) return { ok: true, argv, process: program(kind, rest, env, image) };
  const flavour = variant.shell === 'dash' ? 'dash' : 'busybox';
  if (variant.shell !== 'none') {
    if (SHELLS.has(base) && (base !== 'bash' || variant.shell === 'dash')) {
      if (rest[0] === '-c')
        return { ok: true, argv, process: new ShellProcess({ script: rest[1] ?? '' }, flavour) };
      // A shell without a script reads its stdin, which is empty: it exits at once.
      return { ok: true, argv, process: new ShellProcess({ script: '' }, flavour) };
    }
    if (APPLETS[base])
      return { ok: true, argv, process: new ShellProcess({ argv: [base, ...rest] }, flavour) };
  }
  if (exe.includes('/')) return createFailed(`exec: "${exe}": stat ${exe}: no such file or directory`);
  return createFailed(`exec: "${exe}": executable file not found in $PATH`);
}

export function launch(
  image: CatalogImage,
  variant: ImageVariant,
  argv: string[],
  env: Record<string, string>,
): Launch {
  return select(image, variant, argv, env);
}
