// The one binding to cdk8s-plus: the only file in lib/ that imports cdk8s-plus-28, so moving to a
// newer cdk8s-plus-XX is a change here (test/layering.test.ts keeps it the only one). It
// re-exports what the library uses, and holds the cdk8s-plus internals the library reads.
//
// cdk8s-plus renders through @internal methods. Besides overriding _toPodSpec() (every Secure*
// workload does), the library calls two of them, here only, and fails loudly, never open, when one
// is gone; test/kplus-internals.test.ts is their canary.
import * as kplus from 'cdk8s-plus-28';

export {
  Capability, ConcurrencyPolicy, ConfigMap, Container, ContainerRestartPolicy, CronJob, Deployment, DeploymentStrategy, EnvFieldPaths,
  EnvFrom, EnvValue, ImagePullPolicy, Job, k8s, PersistentVolumeAccessMode, PodManagementPolicy, Probe, Protocol, SeccompProfileType,
  Secret, Service, ServiceAccount, ServiceType, StatefulSet, StatefulSetUpdateStrategy, Volume, Workload,
} from 'cdk8s-plus-28';
export type {
  ContainerLifecycle, ContainerPort, ContainerProps, CronJobProps, DeploymentProps, HostAlias, ISecret, IServiceAccount, JobProps, PodDnsProps,
  ServiceAccountProps, ServicePort, StatefulSetProps, VolumeMount, WorkloadProps,
} from 'cdk8s-plus-28';

function internal<T>(target: object | undefined, method: string, owner: string): () => T {
  const fn = (target as { [name: string]: unknown } | undefined)?.[method];
  if (typeof fn !== 'function') {
    throw new Error(`cdk8s-plus-28 no longer has ${owner}.${method}(), which cdk8s-secure reads to check it; `
      + 'use a cdk8s-plus-28 release this version of cdk8s-secure supports');
  }
  return () => fn.call(target) as T;
}

/** What renders `volume` as cdk8s-plus will write it. */
export function volumeRenderer(volume: kplus.Volume): () => kplus.k8s.Volume {
  return internal<kplus.k8s.Volume>(volume, '_toKube', 'Volume');
}

/** The tolerations cdk8s-plus will write for `workload`'s pods. */
export function renderedTolerations(workload: kplus.Workload): kplus.k8s.Toleration[] {
  return internal<{ tolerations?: kplus.k8s.Toleration[] }>(workload.scheduling, '_toKube', 'WorkloadScheduling')().tolerations ?? [];
}
