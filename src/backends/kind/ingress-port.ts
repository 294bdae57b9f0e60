import * as net from 'node:net';
import { labDirNames } from '../../state/labs.js';
import { labDir } from '../../state/paths.js';
import type { IngressPort } from './config.js';
import { readKindLab } from './record.js';

/** How far past the preferred port to look before giving up. */
const SPAN = 20;

/** Whether nothing listens on `address:port` now (Docker's port proxies included). */
export function portFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: address, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * The host port of a new lab's ingress gateway: the preferred one (8080) when it is free,
 * otherwise the next free one, so a second kind lab (a `scenario test` beside the learner's
 * lab) does not fail on "port is already allocated". Ports other kind labs recorded are
 * skipped even while those labs are stopped, since they take them back when started.
 */
export async function pickIngressPort(stateDir: string, preferred: IngressPort): Promise<IngressPort> {
  const taken = new Set<number>();
  for (const name of labDirNames(stateDir)) {
    const rec = readKindLab(labDir(stateDir, name));
    if (rec?.ingress) taken.add(rec.ingress.hostPort);
  }
  for (let port = preferred.hostPort; port < preferred.hostPort + SPAN; port++)
    if (!taken.has(port) && (await portFree(preferred.listenAddress, port)))
      return { ...preferred, hostPort: port };
  // All taken: kind will say which port is allocated, and the lab is cleaned up.
  return preferred;
}
