// Billing: secrets from an external secret manager, never in the manifests.
// - The worker's payment-provider key is synchronised by the External Secrets Operator from
//   the platform's ClusterSecretStore and mounted as a read-only file.
// - The export job reads warehouse credentials straight from Vault through the Secrets
//   Store CSI driver.
// - Both run on the billing pool, sandboxed by gVisor (a kernel of their own per pod).
// - The worker reads its feature flags from the Kubernetes API with a projected,
//   short-lived token of its own ServiceAccount, allowed to get and watch that one ConfigMap
//   and nothing else; no other pod gets a token.
import { Chart, ChartProps, Cron, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ApiVerb, CsiProvider, EgressDestination, ExternalSecret, LogShipper, NetworkAccess, SecretMount, Suppressions, SecretProviderClass,
  SecretStoreKind, SecureCronJob, SecureDeployment, SecureResources,
} from '../lib';
import { FLUENT_BIT_IMAGE, PlatformChart } from './platform';

const IMAGE = (name: string) => `registry.example.com/billing/${name}:3.1.0`;
const RESOURCES: SecureResources = {
  cpu: { request: '100m', limit: '500m' },
  memory: { request: '128Mi', limit: '256Mi' },
  ephemeralStorage: { limit: '256Mi' },
};

export class BillingChart extends Chart {
  public readonly paymentKey: ExternalSecret;
  public readonly warehouse: SecretProviderClass;
  public readonly worker: SecureDeployment;
  public readonly exporter: SecureCronJob;

  constructor(scope: Construct, id: string, platform: PlatformChart, props: ChartProps = {}) {
    super(scope, id, { namespace: platform.billingNamespace.name, ...props });

    this.paymentKey = new ExternalSecret(this, 'payment-key', {
      store: { name: 'platform-vault', kind: SecretStoreKind.CLUSTER_SECRET_STORE },
      refreshInterval: Duration.minutes(15),
      data: [{ key: 'api-key', remoteKey: 'billing/payment-provider', property: 'api_key' }],
    });

    this.warehouse = new SecretProviderClass(this, 'warehouse', {
      provider: CsiProvider.vault({
        roleName: 'billing-export',
        vaultAddress: 'https://vault.platform.svc:8200',
        objects: [
          { fileName: 'username', secretPath: 'database/creds/warehouse-export', secretKey: 'username' },
          { fileName: 'password', secretPath: 'database/creds/warehouse-export', secretKey: 'password' },
        ],
      }),
    });

    const flags = new kplus.ConfigMap(this, 'feature-flags', { data: { 'invoices.pdf-v2': 'false' } });
    this.worker = new SecureDeployment(this, 'worker', {
      replicas: 2,
      nodePool: platform.billingPool,
      secrets: [SecretMount.fromExternalSecret(this.paymentKey, { path: '/run/secrets/payment' })],
      kubernetesApiAccess: {
        expiration: Duration.minutes(15),
        permissions: [{ apiGroup: '', resources: ['configmaps'], resourceNames: [flags.name], verbs: [ApiVerb.GET, ApiVerb.WATCH] }],
      },
      containers: [{
        name: 'worker',
        image: IMAGE('worker'),
        resources: RESOURCES,
        envVariables: { PAYMENT_API_KEY_FILE: kplus.EnvValue.fromValue('/run/secrets/payment/api-key') },
      }],
    });

    this.exporter = new SecureCronJob(this, 'export', {
      schedule: Cron.schedule({ minute: '30', hour: '2' }),
      // Runs in the pool's gVisor sandbox like every workload there: it parses files customers upload.
      nodePool: platform.billingPool,
      secrets: [SecretMount.fromSecretProviderClass(this.warehouse, { path: '/run/secrets/warehouse' })],
      containers: [{ name: 'export', image: IMAGE('export'), resources: RESOURCES }],
    });

    // What billing talks to beyond the cluster, by address (a NetworkPolicy cannot name a host).
    NetworkAccess.allowTo(this.worker, platform.apiServer, { name: 'Kubernetes API server', port: 443 });
    NetworkAccess.allowTo(this.worker, EgressDestination.cidr('198.51.100.0/26'), { name: 'payment provider api.payments.example.com', port: 443 });
    NetworkAccess.allowTo(this.exporter, EgressDestination.cidr('198.51.100.64/28'), { name: 'data warehouse warehouse.example.com', port: 5432 });
    new LogShipper(this.worker, 'logs', { workload: this.worker, output: platform.logs, image: FLUENT_BIT_IMAGE });
    Suppressions.add(this.exporter, 'log-shipper', 'prints to stdout, collected by the node agent; native sidecars need Kubernetes 1.29');
  }
}
