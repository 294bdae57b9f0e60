import type { CatalogImage, ImageShell, ImageVariant } from './catalog.js';

/** The workload images of the catalog: what learners run themselves. */

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const fixed = (sizeBytes: number, shell: ImageShell) => (): ImageVariant => ({ sizeBytes, shell });

/** Debian-based by default, Alpine (busybox sh, far smaller) when the tag says so. */
const debianOrAlpine =
  (debian: number, alpine: number) =>
  (tag: string | undefined): ImageVariant =>
    tag?.includes('alpine') ? { sizeBytes: alpine, shell: 'busybox' } : { sizeBytes: debian, shell: 'dash' };

export const APP_IMAGES: CatalogImage[] = [
  {
    repository: 'docker.io/library/nginx',
    tagsDoc: 'any tag (`1.27`, `1.27-alpine`, `latest`, …)',
    variant: debianOrAlpine(196_217_443, 51_930_112),
    entrypoint: ['/docker-entrypoint.sh'],
    cmd: ['nginx', '-g', 'daemon off;'],
    env: {
      PATH,
      NGINX_VERSION: '1.27.5',
      NJS_VERSION: '0.8.10',
      NJS_RELEASE: '1~bookworm',
      PKG_RELEASE: '1~bookworm',
    },
    stopSignal: 'SIGQUIT',
    programs: { nginx: 'nginx' },
    summary: 'serves HTTP on port 80 (`/` and `/index.html` answer 200, other paths 404); stays Running',
  },
  {
    repository: 'docker.io/library/busybox',
    // The Kubernetes docs' examples use the copy on registry.k8s.io.
    aliases: ['registry.k8s.io/busybox'],
    tagsDoc: 'any tag (`1.36`, `1.37`, `latest`, …); also as `registry.k8s.io/busybox`',
    variant: fixed(4_505_092, 'busybox'),
    entrypoint: [],
    cmd: ['sh'],
    env: { PATH },
    stopSignal: 'SIGTERM',
    programs: {},
    summary: 'runs its command through a small busybox `sh` (see the program model below)',
  },
  {
    repository: 'docker.io/polinux/stress',
    tags: /^(latest|1\.0\.4)$/,
    tagsDoc: '`latest`, `1.0.4`',
    variant: fixed(9_744_625, 'busybox'),
    entrypoint: [],
    cmd: ['stress'],
    env: { PATH },
    stopSignal: 'SIGTERM',
    programs: { stress: 'stress' },
    summary:
      'the memory hog of the Kubernetes docs: `stress --vm N --vm-bytes SIZE` holds N × SIZE of memory',
  },
  {
    repository: 'docker.io/library/memcached',
    tags: /^(latest|alpine|bookworm|1(\.6(\.\d+)?)?(-alpine(3\.\d+)?|-bookworm)?)$/,
    tagsDoc: '`1`, `1.6`, `1.6.x`, with `-alpine`, `-alpine3.NN` or `-bookworm`; `latest`, `alpine`',
    variant: debianOrAlpine(84_734_976, 9_437_184),
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['memcached'],
    env: { PATH, MEMCACHED_VERSION: '1.6.38' },
    stopSignal: 'SIGTERM',
    programs: { memcached: 'memcached' },
    summary: 'memcached listening on TCP 11211 (`-p` changes it); stays Running',
  },
  {
    repository: 'ghcr.io/knative/helloworld-go',
    aliases: ['gcr.io/knative-samples/helloworld-go'],
    tagsDoc: 'any tag (the Knative docs use `latest`)',
    variant: fixed(9_318_400, 'none'),
    entrypoint: ['/ko-app/helloworld-go'],
    cmd: [],
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', KO_DATA_PATH: '/var/run/ko' },
    stopSignal: 'SIGTERM',
    programs: { 'helloworld-go': 'hello', helloworld: 'hello', server: 'hello' },
    summary: 'the Knative sample: HTTP on `$PORT` (8080), every path answers `Hello $TARGET!` (`World`)',
  },
];
