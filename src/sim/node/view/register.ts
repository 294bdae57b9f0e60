import { registerMountProvider } from '../process/mount-providers.js';
import { containerCgroupMount } from './mounts.js';

/**
 * A container's file tree gets its own `/sys/fs/cgroup` (the view of its cgroup namespace),
 * which also tells the network tools which pod they run in. Imported once, by the node
 * applets' module.
 */
registerMountProvider((target) => {
  if (target.kind !== 'container') return [];
  const m = containerCgroupMount(target.runtime, target.podUid, target.containerId);
  return m ? [m] : [];
});
