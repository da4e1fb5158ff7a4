// What the platform team owns: the namespaces with their guard rails, and one dedicated
// node pool per sensitivity. Cluster-scoped objects live in this chart, which has no
// namespace of its own.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { NodePool, SandboxHandler, SecureNamespace, Sensitivity } from '../lib';

export class PlatformChart extends Chart {
  /** Internet-facing frontends. */
  public readonly webPool: NodePool;
  /** Card payments and the data behind them. */
  public readonly paymentsPool: NodePool;
  /** Billing exports: confidential, and sandboxed with gVisor since they parse customer files. */
  public readonly billingPool: NodePool;
  public readonly shopNamespace: SecureNamespace;
  public readonly billingNamespace: SecureNamespace;

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
    this.shopNamespace = new SecureNamespace(this, 'shop-namespace', { name: 'shop' });
    this.billingNamespace = new SecureNamespace(this, 'billing-namespace', {
      name: 'billing',
      quota: {
        requestsCpu: '4', limitsCpu: '8', requestsMemory: '8Gi', limitsMemory: '16Gi',
        requestsEphemeralStorage: '10Gi', limitsEphemeralStorage: '20Gi', pods: 20,
      },
    });
  }
}
