// What the platform team owns: the namespaces with their guard rails, and one dedicated
// node pool per sensitivity. Cluster-scoped objects live in this chart, which has no
// namespace of its own.
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  EgressDestination, ImageAdmissionPolicy, ImagePolicy, ImageSignaturePolicy, ImageSigner, LogOutput, NodePool, SandboxHandler, SecureNamespace,
  Sensitivity,
} from '../lib';

/** Fluent Bit, mirrored into the platform registry; pinned through the image lock. */
export const FLUENT_BIT_IMAGE = 'registry.example.com/platform/fluent-bit:3.1.9';

/** The registries the apps may pull from. */
export const TRUSTED_REGISTRIES = ['registry.example.com/shop', 'registry.example.com/billing', 'registry.example.com/platform'];

/**
 * Trusted registries only, every image pinned through the lock file that CI refreshes when
 * images are rebuilt (set `maxAgeDays` to make stale images fail synth).
 */
export function imagePolicy(app: App): ImagePolicy {
  return new ImagePolicy(app, 'images', { trustedRegistries: TRUSTED_REGISTRIES, lockFile: path.join(__dirname, 'images.lock.json') });
}

export class PlatformChart extends Chart {
  /** Internet-facing frontends. */
  public readonly webPool: NodePool;
  /** Card payments and the data behind them. */
  public readonly paymentsPool: NodePool;
  /** Billing exports: confidential, and sandboxed with gVisor since they parse customer files. */
  public readonly billingPool: NodePool;
  /** Platform services (the events shipper). */
  public readonly opsPool: NodePool;
  public readonly shopNamespace: SecureNamespace;
  public readonly billingNamespace: SecureNamespace;
  public readonly observabilityNamespace: SecureNamespace;
  /** The central log server every shipper sends to, over TLS with verification. */
  public readonly logs: LogOutput;
  /** The API server's endpoints (`kubectl get endpoints kubernetes`), for pods that read the API. */
  public readonly apiServer = EgressDestination.cidr('10.0.0.0/28');
  /** Where the cluster's ingress controller runs; it is admitted to the public frontends. */
  public readonly ingressNamespace = 'ingress-nginx';

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.webPool = new NodePool(this, 'web', { sensitivity: Sensitivity.PUBLIC });
    this.paymentsPool = new NodePool(this, 'payments', { sensitivity: Sensitivity.RESTRICTED, labels: { 'example.com/compliance': 'pci-dss' } });
    this.billingPool = new NodePool(this, 'billing', {
      sensitivity: Sensitivity.CONFIDENTIAL,
      sandbox: SandboxHandler.GVISOR,
      karpenter: {
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gvisor' },
        requirements: [
          { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
          { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
        ],
        cpuLimit: '64',
      },
    });
    this.opsPool = new NodePool(this, 'ops', { sensitivity: Sensitivity.INTERNAL });
    // The cluster enforces what synth checked: the same registry allowlist, digests required.
    const images = ImagePolicy.of(this);
    if (images) {
      new ImageAdmissionPolicy(this, 'image-admission', { policy: images });
      // And only images the release workflow signed (keyless, through GitHub's OIDC issuer).
      new ImageSignaturePolicy(this, 'image-signatures', {
        policy: images,
        signers: [ImageSigner.keyless({
          issuer: 'https://token.actions.githubusercontent.com',
          subject: 'https://github.com/example/platform/.github/workflows/release.yml@refs/heads/main',
        })],
      });
    }
    // NetworkPolicies cannot name a host: the log server's addresses are declared beside it.
    this.logs = LogOutput.forward({ host: 'logs.platform.example.com', destination: EgressDestination.cidr('203.0.113.16/28') });
    this.shopNamespace = new SecureNamespace(this, 'shop-namespace', { name: 'shop' });
    this.observabilityNamespace = new SecureNamespace(this, 'observability-namespace', { name: 'observability' });
    this.billingNamespace = new SecureNamespace(this, 'billing-namespace', {
      name: 'billing',
      quota: {
        requestsCpu: '4', limitsCpu: '8', requestsMemory: '8Gi', limitsMemory: '16Gi',
        requestsEphemeralStorage: '10Gi', limitsEphemeralStorage: '20Gi', pods: 20,
      },
    });
  }
}
