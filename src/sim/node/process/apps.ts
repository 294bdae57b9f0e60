import { goLogTime, ServerProcess } from './server.js';
import type { Signal } from './types.js';

/** The catalog's application servers: nginx, the Knative hello sample, memcached. */

const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>
</body>
</html>
`;

/** nginx as the official image runs it: entrypoint scripts, then a master and one worker per CPU. */
export function nginx(version: string, cpus = 4): ServerProcess {
  const workers = Array.from({ length: cpus }, (_, i) => 29 + i);
  const notice = (at: number, pid: number, msg: string): ['stderr', string] => [
    'stderr',
    `${goLogTime(at)} [notice] ${pid}#${pid}: ${msg}`,
  ];
  return new ServerProcess({
    listeners: [
      {
        port: 80,
        http: {
          scheme: 'HTTP',
          paths: { '/': 200, '/index.html': 200, '/50x.html': 200 },
          otherwise: 404,
          body: (p) => (p === '/' || p === '/index.html' ? NGINX_WELCOME : ''),
        },
      },
    ],
    memoryBytes: 3_500_000 + workers.length * 1_300_000,
    startup: (at) => [
      [
        'stdout',
        '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      ],
      ['stdout', '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/'],
      ['stdout', '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh'],
      [
        'stdout',
        '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
      ],
      [
        'stdout',
        '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
      ],
      ['stdout', '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh'],
      ['stdout', '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh'],
      ['stdout', '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh'],
      ['stdout', '/docker-entrypoint.sh: Configuration complete; ready for start up'],
      notice(at, 1, 'using the "epoll" event method'),
      notice(at, 1, `nginx/${version}`),
      notice(at, 1, 'built by gcc 12.2.0 (Debian 12.2.0-14)'),
      notice(at, 1, 'OS: Linux 6.8.0'),
      notice(at, 1, 'getrlimit(RLIMIT_NOFILE): 1048576:1048576'),
      notice(at, 1, 'start worker processes'),
      ...workers.map((w) => notice(at, 1, `start worker process ${w}`)),
    ],
    onSignal: (sig: Signal, at: number) => {
      if (sig !== 'SIGQUIT' && sig !== 'SIGTERM' && sig !== 'SIGINT') return undefined;
      const n = { SIGQUIT: 3, SIGTERM: 15, SIGINT: 2 }[sig];
      const end = at + 100;
      const lines =
        sig === 'SIGQUIT'
          ? [
              notice(at, 1, `signal 3 (SIGQUIT) received, shutting down`),
              ...workers.flatMap((w) => [
                notice(at, w, 'gracefully shutting down'),
                notice(at, w, 'exiting'),
                notice(at, w, 'exit'),
              ]),
              ...workers.flatMap((w) => [
                notice(end, 1, `signal 17 (SIGCHLD) received from ${w}`),
                notice(end, 1, `worker process ${w} exited with code 0`),
              ]),
              notice(end, 1, 'exit'),
            ]
          : [
              notice(at, 1, `signal ${n} (${sig}) received, exiting`),
              ...workers.map((w) => notice(at, w, 'exiting')),
              notice(end, 1, 'exit'),
            ];
      return { afterMs: 100, code: 0, lines };
    },
  });
}

/** The Knative helloworld-go sample: `Hello $TARGET!` on `$PORT`. Go exits with status 2 on SIGTERM. */
export function hello(env: Record<string, string>): ServerProcess {
  const port = Number.parseInt(env.PORT ?? '', 10) || 8080;
  const target = env.TARGET || 'World';
  return new ServerProcess({
    listeners: [{ port, http: { scheme: 'HTTP', otherwise: 200, body: () => `Hello ${target}!\n` } }],
    memoryBytes: 6_000_000,
    startup: (at) => [
      ['stderr', `${goLogTime(at)} helloworld: starting server...`],
      ['stderr', `${goLogTime(at)} helloworld: listening on port ${port}`],
    ],
    onRequest: (_, at) => [['stderr', `${goLogTime(at)} helloworld: received a request`]],
    onSignal: (sig) =>
      sig === 'SIGTERM' || sig === 'SIGINT' || sig === 'SIGHUP'
        ? { afterMs: 0, code: 2, lines: [] }
        : undefined,
  });
}

/** memcached: TCP 11211 or `-p PORT`; quiet unless `-v`. */
export function memcached(args: string[]): ServerProcess {
  const flag = (short: string, long: string) => {
    for (const [i, a] of args.entries()) {
      if (a === short || a === long) return args[i + 1];
      if (a.startsWith(`${long}=`)) return a.slice(long.length + 1);
      if (a.startsWith(short) && a.length > short.length) return a.slice(short.length);
    }
    return undefined;
  };
  const port = Number.parseInt(flag('-p', '--port') ?? '', 10) || 11211;
  const verbose = args.some((a) => /^-v+$/.test(a) || a === '--verbose');
  return new ServerProcess({
    listeners: [{ port }],
    memoryBytes: 3_000_000,
    startup: () => (verbose ? [['stderr', `<26 server listening (auto-negotiate)`]] : []),
    onSignal: (sig) =>
      sig === 'SIGTERM' || sig === 'SIGINT'
        ? {
            afterMs: 0,
            code: 0,
            lines: [['stderr', `Signal handled: ${sig === 'SIGTERM' ? 'Terminated' : 'Interrupt'}.`]],
          }
        : undefined,
  });
}
