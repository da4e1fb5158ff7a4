// What the platform team owns: the namespaces with their guard rails, and one dedicated
// node pool per sensitivity. Cluster-scoped objects live in this chart, which has no
// namespace of its own.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { LogOutput, NodePool, SandboxHandler, SecureNamespace, Sensitivity } from '../lib';

/** Fluent Bit, mirrored into the platform registry and pinned (the digest is the example's own). */
export const FLUENT_BIT_IMAGE = `registry.example.com/platform/fluent-bit:3.1.9@sha256:${'0f'.repeat(32)}`;

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
    this.logs = LogOutput.forward({ host: 'logs.platform.example.com' });
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
