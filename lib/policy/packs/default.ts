import { Severity } from '../model';
import { Pack } from './pack';

const E = Severity.ERROR;
const W = Severity.WARNING;

/** What the library's own constructs guarantee, as errors; supply-chain hygiene as warnings. */
export const DEFAULT_PACK: Pack = {
  name: 'default',
  description: 'PSS baseline and restricted, read-only root filesystem, resource requests and limits, sensitivity conflicts, literal '
    + 'credentials (env and ConfigMaps), cluster-admin bindings, LoadBalancers open to every address, hostPath '
    + 'PersistentVolumes and group 0 as errors; image pinning, pull policy, token mounting, secrets in env, dedicated pools, '
    + 'namespace guard rails, the other RBAC rules, the default ServiceAccount, NodePort/LoadBalancer Services, Ingress without '
    + 'TLS and shared process namespaces as warnings.',
  rules: {
    'host-process': E,
    'host-namespaces': E,
    'privileged-container': E,
    'capabilities-baseline': E,
    'host-path-volume': E,
    'host-port': E,
    'apparmor': E,
    'selinux': E,
    'proc-mount': E,
    'seccomp-unconfined': E,
    'sysctls': E,
    'probe-host': E,
    'volume-types': E,
    'privilege-escalation': E,
    'run-as-non-root': E,
    'run-as-non-root-user': E,
    'seccomp-required': E,
    'capabilities-restricted': E,
    'read-only-root-filesystem': E,
    'sensitive-host-path': E,
    'dedicated-node-pool': W,
    'sensitivity-conflict': E,
    'namespace-network-policy': W,
    'namespace-pss': W,
    'cpu-requests': E,
    'cpu-limits': E,
    'memory-requests': E,
    'memory-limits': E,
    'ephemeral-storage-limits': E,
    'namespace-limit-range': W,
    'namespace-resource-quota': W,
    'automount-service-account-token': W,
    'env-credential-literal': E,
    'secret-literal-data': E,
    'secret-env': W,
    'image-tag': E,
    'image-digest': W,
    'image-pull-policy': W,
    'trusted-registry': E,
    'image-max-age': E,
    'log-shipper': W,
    'rbac-wildcard': W,
    'rbac-secret-read': W,
    'rbac-pod-exec': W,
    'rbac-escalation-verbs': W,
    'rbac-node-proxy': W,
    'rbac-create-pods': W,
    'rbac-cluster-admin-binding': E,
    'rbac-default-service-account-binding': W,
    'default-service-account': W,
    'service-exposure': W,
    'load-balancer-source-ranges': E,
    'ingress-tls': W,
    'share-process-namespace': W,
    'host-path-persistent-volume': E,
    'root-group': E,
    'configmap-credential': E,
  },
};
