/**
 * Kubelet's event reasons and messages, worded as upstream v1.33 words them
 * (`pkg/kubelet/events`, `images/image_manager.go`, `kuberuntime/kuberuntime_container.go`,
 * `kuberuntime_manager.go`, `prober/prober.go`, `volumemanager`), so `kubectl describe pod`
 * and `kubectl get events` read as on a real node.
 */

/** `name_namespace(uid)`, kubelet's `format.Pod`. */
export const formatPod = (pod: { metadata: { name?: string; namespace?: string; uid?: string } }) =>
  `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;

/** Go's `time.Duration` printing, after kubelet truncates to milliseconds: `1.234s`, `812ms`, `2m3.5s`. */
export function goDuration(ms: number): string {
  const t = Math.floor(ms);
  if (t === 0) return '0s';
  if (t < 1000) return `${t}ms`;
  const h = Math.floor(t / 3_600_000);
  const m = Math.floor((t % 3_600_000) / 60_000);
  const s = ((t % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, '');
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

export const msg = {
  pulling: (image: string) => `Pulling image ${JSON.stringify(image)}`,
  pulled: (image: string, pullMs: number, totalMs: number, size: number) =>
    `Successfully pulled image ${JSON.stringify(image)} in ${goDuration(pullMs)} (${goDuration(totalMs)} including waiting). Image size: ${size} bytes.`,
  alreadyPresent: (image: string) => `Container image ${JSON.stringify(image)} already present on machine`,
  neverPull: (image: string) =>
    `Container image ${JSON.stringify(image)} is not present with pull policy of Never`,
  failedPull: (image: string, err: string) => `Failed to pull image ${JSON.stringify(image)}: ${err}`,
  backOffPull: (image: string) => `Back-off pulling image ${JSON.stringify(image)}`,
  invalidImage: (image: string, err: string) =>
    `Failed to apply default image tag ${JSON.stringify(image)}: ${err}`,
  error: (what: string) => `Error: ${what}`,
  created: (name: string) => `Created container: ${name}`,
  started: (name: string) => `Started container ${name}`,
  stopping: (name: string) => `Stopping container ${name}`,
  probeRestart: (name: string, probe: 'liveness' | 'startup') =>
    `Container ${name} failed ${probe} probe, will be restarted`,
  definitionChanged: (name: string) => `Container ${name} definition changed, will be restarted`,
  backOffRestart: (name: string, pod: string) => `Back-off restarting failed container ${name} in pod ${pod}`,
  crashLoop: (backoff: string, name: string, pod: string) =>
    `back-off ${backoff} restarting failed container=${name} pod=${pod}`,
  probeFailed: (probe: string, output: string) => `${probe} probe failed: ${output}`,
  probeErrored: (probe: string, err: string) =>
    `${probe} probe errored and resulted in Failure state: ${err}`,
  mountFailed: (volume: string, err: string) =>
    `MountVolume.SetUp failed for volume ${JSON.stringify(volume)} : ${err}`,
  unableToMount: (unmounted: string[], unattached: string[], failed: string[], err: string) =>
    `Unable to attach or mount volumes: unmounted volumes=[${unmounted.join(' ')}], unattached volumes=[${unattached.join(' ')}], failed to process volumes=[${failed.join(' ')}]: ${err}`,
  sandboxFailed: (err: string) => `Failed to create pod sandbox: ${err}`,
  deadline: 'Pod was active on the node longer than the specified deadline',
};

export const reason = {
  pulling: 'Pulling',
  pulled: 'Pulled',
  failed: 'Failed',
  backOff: 'BackOff',
  inspectFailed: 'InspectFailed',
  neverPull: 'ErrImageNeverPull',
  created: 'Created',
  started: 'Started',
  killing: 'Killing',
  unhealthy: 'Unhealthy',
  failedMount: 'FailedMount',
  sandboxFailed: 'FailedCreatePodSandBox',
  deadline: 'DeadlineExceeded',
};

/** Waiting reasons in container statuses. */
export type WaitingReason =
  | 'ContainerCreating'
  | 'PodInitializing'
  | 'ErrImagePull'
  | 'ImagePullBackOff'
  | 'ErrImageNeverPull'
  | 'InvalidImageName'
  | 'CrashLoopBackOff'
  | 'CreateContainerConfigError'
  | 'CreateContainerError';

/** The CNI failure as kubelet reports it in `FailedCreatePodSandBox`. */
export function sandboxError(
  pod: { metadata: { name?: string; namespace?: string; uid?: string } },
  cni: string,
): string {
  return `rpc error: code = Unknown desc = failed to create pod network sandbox k8s_${pod.metadata.name}_${pod.metadata.namespace}_${pod.metadata.uid}_0(${pod.metadata.uid}): error adding pod ${pod.metadata.namespace}_${pod.metadata.name} to CNI network "kindnet": plugin type="ptp" failed (add): ${cni}`;
}
