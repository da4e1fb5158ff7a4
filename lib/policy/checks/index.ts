// Every check, in the order reports list them. Adding a rule: a file here, a line
// below, a pack entry, a fixture pair, and `npm run rules`.
import { Check } from '../check';
import { AppArmorCheck } from './apparmor';
import { AutomountServiceAccountTokenCheck } from './automount-service-account-token';
import { CapabilitiesBaselineCheck } from './capabilities-baseline';
import { CapabilitiesRestrictedCheck } from './capabilities-restricted';
import { ConfigMapCredentialCheck } from './configmap-credential';
import { CpuLimitsCheck } from './cpu-limits';
import { CpuRequestsCheck } from './cpu-requests';
import { DedicatedNodePoolCheck } from './dedicated-node-pool';
import { DefaultServiceAccountCheck } from './default-service-account';
import { EgressReachableCheck } from './egress-reachable';
import { EnvCredentialLiteralCheck } from './env-credential-literal';
import { EphemeralStorageLimitsCheck } from './ephemeral-storage-limits';
import { HostNamespacesCheck } from './host-namespaces';
import { HostPathPersistentVolumeCheck } from './host-path-persistent-volume';
import { HostPathVolumeCheck } from './host-path-volume';
import { HostPortCheck } from './host-port';
import { HostProcessCheck } from './host-process';
import { ImageDigestCheck } from './image-digest';
import { ImageMaxAgeCheck } from './image-max-age';
import { ImagePullPolicyCheck } from './image-pull-policy';
import { ImageTagCheck } from './image-tag';
import { IngressTlsCheck } from './ingress-tls';
import { LimitRangeFitCheck } from './limit-range-fit';
import { LoadBalancerSourceRangesCheck } from './load-balancer-source-ranges';
import { LogShipperCheck } from './log-shipper';
import { MemoryLimitsCheck } from './memory-limits';
import { MemoryRequestsCheck } from './memory-requests';
import { NamespaceLimitRangeCheck } from './namespace-limit-range';
import { NamespaceNetworkPolicyCheck } from './namespace-network-policy';
import { NamespacePssCheck } from './namespace-pss';
import { NamespaceResourceQuotaCheck } from './namespace-resource-quota';
import { PodTemplateNotCheckedCheck } from './pod-template-not-checked';
import { PrivilegeEscalationCheck } from './privilege-escalation';
import { PrivilegedContainerCheck } from './privileged-container';
import { ProbeHostCheck } from './probe-host';
import { ProcMountCheck } from './proc-mount';
import { ProcMountRestrictedCheck } from './proc-mount-restricted';
import { RbacClusterAdminBindingCheck } from './rbac-cluster-admin-binding';
import { RbacCreatePodsCheck } from './rbac-create-pods';
import { RbacCredentialMintingCheck } from './rbac-credential-minting';
import { RbacDefaultServiceAccountBindingCheck } from './rbac-default-service-account-binding';
import { RbacEscalationVerbsCheck } from './rbac-escalation-verbs';
import { RbacNodeProxyCheck } from './rbac-node-proxy';
import { RbacPodExecCheck } from './rbac-pod-exec';
import { RbacSecretReadCheck } from './rbac-secret-read';
import { RbacWildcardCheck } from './rbac-wildcard';
import { ReadOnlyRootFilesystemCheck } from './read-only-root-filesystem';
import { RootGroupCheck } from './root-group';
import { RunAsNonRootCheck } from './run-as-non-root';
import { RunAsNonRootUserCheck } from './run-as-non-root-user';
import { SeccompRequiredCheck } from './seccomp-required';
import { SeccompUnconfinedCheck } from './seccomp-unconfined';
import { SecretEnvCheck } from './secret-env';
import { SecretLiteralDataCheck } from './secret-literal-data';
import { SeLinuxCheck } from './selinux';
import { SensitiveHostPathCheck } from './sensitive-host-path';
import { SensitivityConflictCheck } from './sensitivity-conflict';
import { ServiceExposureCheck } from './service-exposure';
import { ServiceReachableCheck } from './service-reachable';
import { ShareProcessNamespaceCheck } from './share-process-namespace';
import { ShipperPortAdmittedCheck } from './shipper-port-admitted';
import { SysctlsCheck } from './sysctls';
import { TrustedRegistryCheck } from './trusted-registry';
import { UlimitsCheck } from './ulimits';
import { VolumeTypesCheck } from './volume-types';

export const ALL_CHECKS: readonly Check[] = [
  // Pod Security Standards: baseline
  new HostProcessCheck(),
  new HostNamespacesCheck(),
  new PrivilegedContainerCheck(),
  new CapabilitiesBaselineCheck(),
  new HostPathVolumeCheck(),
  new HostPortCheck(),
  new AppArmorCheck(),
  new SeLinuxCheck(),
  new ProcMountCheck(),
  new SeccompUnconfinedCheck(),
  new SysctlsCheck(),
  new ProbeHostCheck(),
  new UlimitsCheck(),
  // Pod Security Standards: restricted
  new VolumeTypesCheck(),
  new PrivilegeEscalationCheck(),
  new RunAsNonRootCheck(),
  new RunAsNonRootUserCheck(),
  new SeccompRequiredCheck(),
  new CapabilitiesRestrictedCheck(),
  new ProcMountRestrictedCheck(),
  // Host protection beyond PSS
  new ReadOnlyRootFilesystemCheck(),
  new SensitiveHostPathCheck(),
  new DedicatedNodePoolCheck(),
  new SensitivityConflictCheck(),
  new PodTemplateNotCheckedCheck(),
  new NamespaceNetworkPolicyCheck(),
  new NamespacePssCheck(),
  new ServiceReachableCheck(),
  // Resource limits
  new CpuRequestsCheck(),
  new CpuLimitsCheck(),
  new MemoryRequestsCheck(),
  new MemoryLimitsCheck(),
  new EphemeralStorageLimitsCheck(),
  new NamespaceLimitRangeCheck(),
  new LimitRangeFitCheck(),
  new NamespaceResourceQuotaCheck(),
  // Secrets
  new AutomountServiceAccountTokenCheck(),
  new EnvCredentialLiteralCheck(),
  new SecretLiteralDataCheck(),
  new SecretEnvCheck(),
  // Images
  new ImageTagCheck(),
  new ImageDigestCheck(),
  new ImagePullPolicyCheck(),
  new TrustedRegistryCheck(),
  new ImageMaxAgeCheck(),
  // Persistent logging
  new LogShipperCheck(),
  // The orchestrator: RBAC and identity
  new RbacWildcardCheck(),
  new RbacSecretReadCheck(),
  new RbacPodExecCheck(),
  new RbacEscalationVerbsCheck(),
  new RbacCredentialMintingCheck(),
  new RbacNodeProxyCheck(),
  new RbacCreatePodsCheck(),
  new RbacClusterAdminBindingCheck(),
  new RbacDefaultServiceAccountBindingCheck(),
  new DefaultServiceAccountCheck(),
  // The orchestrator: exposure, and what reaches the host past PSS
  new ServiceExposureCheck(),
  new LoadBalancerSourceRangesCheck(),
  new IngressTlsCheck(),
  new ShareProcessNamespaceCheck(),
  new HostPathPersistentVolumeCheck(),
  new RootGroupCheck(),
  // The orchestrator: credentials in the open
  new ConfigMapCredentialCheck(),
  new EgressReachableCheck(),
  new ShipperPortAdmittedCheck(),
];

const BY_ID = new Map(ALL_CHECKS.map(c => [c.info.id, c]));

export function checkById(id: string): Check | undefined {
  return BY_ID.get(id);
}
