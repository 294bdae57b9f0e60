import type Docker from 'dockerode';
import { dockerExec } from '../docker/exec.js';
import { dockerShell } from '../docker/shell.js';
import type { NodeHandle, TerminalIO } from '../types.js';
import { KIND_ROLE_LABEL } from './names.js';
import { nodeContainers } from './status.js';

/** The lab's nodes as Docker sees them; a command runs in the node container, as `docker exec` would. */
export async function kindNodes(docker: Docker, cluster: string): Promise<NodeHandle[]> {
  const containers = await nodeContainers(docker, cluster);
  return containers.map((c) => ({
    name: c.name,
    role: c.labels[KIND_ROLE_LABEL] === 'control-plane' ? 'control-plane' : 'worker',
    exec: (argv: string[]) => dockerExec(docker, c.id, argv),
    // kind's node image has bash; a login shell reads the node's profile, as `docker exec -it` users expect.
    shell: (io: TerminalIO) => dockerShell(docker, c.id, io, ['bash', '-l']),
  }));
}
