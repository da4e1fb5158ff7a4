import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as kplus from '../kplus';
import { EgressDestination } from '../network/egress-destination';
import { NetworkAccess } from '../network/network-access';
import { NodePool } from '../scheduling/node-pool';
import { ImagePolicy } from '../supply-chain/image-policy';
import { checkKnownProps, constructWhere } from '../workloads/known-props';
import { KUBERNETES_API_TOKEN_PATH } from '../workloads/pod-render';
import { Exemption, SecureResources } from '../workloads/props';
import { SecureDeployment } from '../workloads/secure-deployment';
import { allowOutput, FLUENT_BIT_STATE_DIR, fluentBitConfigMap, fluentBitContainer } from './fluent-bit-config';
import { LogOutput } from './log-output';
import { checkPinned, DEFAULT_SHIPPER_RESOURCES } from './log-shipper';

/**
 * Props of an EventShipper.
 */
export interface EventShipperProps {
  /** The central log server (the same as the workloads' log shippers). */
  readonly output: LogOutput;
  /** Fluent Bit image (3.x, with the kubernetes_events input), pinned by digest. */
  readonly image: string;
  /**
   * The node pool it runs on.
   * @default - required unless `sharedNodes` gives a reason
   */
  readonly nodePool?: NodePool;
  /**
   * Run on shared nodes.
   * @default - a node pool is required
   */
  readonly sharedNodes?: Exemption;
  /**
   * Resources of the shipper.
   * @default DEFAULT_SHIPPER_RESOURCES
   */
  readonly resources?: SecureResources;
  /**
   * The API server's endpoint addresses (what `kubectl get endpoints kubernetes` lists), for
   * the egress NetworkPolicy the shipper needs under a default-deny namespace.
   * @default - none: under a default-deny namespace the `egress-reachable` rule fails synth and says how to declare it
   */
  readonly apiServer?: EgressDestination;
  /**
   * The port those endpoints listen on; policies see the endpoint, not the Service's 443.
   * @default 443 (6443 on kubeadm clusters)
   */
  readonly apiServerPort?: number;
  /**
   * How often the API is polled for new events.
   * @default Duration.seconds(5)
   */
  readonly interval?: Duration;
}

/**
 * Ships the cluster's lifecycle events (pod scheduled, started, killed, back-off/crash-looping,
 * OOM-killed, image pulled, ...) to the central log server: a Fluent Bit Deployment with the
 * `kubernetes_events` input, read-only RBAC on events, and a projected short-lived API token.
 * It is a SecureDeployment, hardened like every workload.
 */
export class EventShipper extends Construct {
  /** The Deployment. */
  public readonly deployment: SecureDeployment;
  /** Its dedicated ServiceAccount. */
  public readonly serviceAccount: kplus.ServiceAccount;

  constructor(scope: Construct, id: string, props: EventShipperProps) {
    super(scope, id);
    checkKnownProps(constructWhere('EventShipper', scope, id), 'EventShipperProps', props);
    checkPinned(props.image, ImagePolicy.of(this));
    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { automountToken: false });
    const config = fluentBitConfigMap(this, 'Config', {
      input: {
        name: 'kubernetes_events',
        db: `${FLUENT_BIT_STATE_DIR}/events.db`,
        kube_url: 'https://kubernetes.default.svc',
        kube_ca_file: `${KUBERNETES_API_TOKEN_PATH}/ca.crt`,
        kube_token_file: `${KUBERNETES_API_TOKEN_PATH}/token`,
        interval_sec: (props.interval ?? Duration.seconds(5)).toSeconds(),
      },
      addFields: { source: 'kubernetes-events', shipper_pod: '${POD_NAME}' },
      output: props.output,
      memBufLimit: '5MB',
    });

    this.deployment = new SecureDeployment(this, 'Deployment', {
      replicas: 1,
      nodePool: props.nodePool,
      exemptions: props.sharedNodes ? { sharedNodes: props.sharedNodes } : undefined,
      serviceAccount: this.serviceAccount,
      kubernetesApiAccess: {},
      containers: [fluentBitContainer(this, 'event-shipper', props.image, props.resources ?? DEFAULT_SHIPPER_RESOURCES, config, props.output)],
    });

    allowOutput(this.deployment, props.output, 'event-shipper');
    const apiServer = { name: 'Kubernetes API server', port: props.apiServerPort ?? 443 };
    if (props.apiServer) NetworkAccess.allowTo(this.deployment, props.apiServer, apiServer);
    else NetworkAccess.requireEgress(this.deployment, apiServer);

    const role = new kplus.k8s.KubeClusterRole(this, 'ClusterRole', {
      rules: [
        { apiGroups: [''], resources: ['events'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    new kplus.k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name: this.serviceAccount.name, namespace: Chart.of(this).namespace ?? 'default' }],
    });
  }
}
