import type Docker from 'dockerode';

export interface ContainerSummary {
  id: string;
  /** Without Docker's leading slash. */
  name: string;
  image: string;
  state: string;
  running: boolean;
  labels: Record<string, string>;
}

/** Every container (running or not) that carries all of `labels`. */
export async function containersByLabels(
  docker: Docker,
  labels: Record<string, string>,
): Promise<ContainerSummary[]> {
  const list = await docker.listContainers({
    all: true,
    filters: { label: Object.entries(labels).map(([k, v]) => `${k}=${v}`) },
  });
  return list
    .map((c) => ({
      id: c.Id,
      name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
      image: c.Image,
      state: c.State,
      running: c.State === 'running',
      labels: c.Labels ?? {},
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Whether an image is present locally (by tag or id). */
export async function imageExists(docker: Docker, ref: string): Promise<boolean> {
  try {
    await docker.getImage(ref).inspect();
    return true;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return false;
    throw e;
  }
}
