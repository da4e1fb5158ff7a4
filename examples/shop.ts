// A small shop, written as a user of cdk8s-secure would write it: a web frontend, an
// API, a nightly report job and a PostgreSQL database. No security code beyond the
// props: the constructs make every pod meet the Pod Security Standards "restricted"
// profile. The images live in the shop's own registry and are referenced by tag; the
// ImagePolicy pins them to the digests in examples/images.lock.json at synth (the digests
// are the example's own, not those of any published image).
import { ApiObjectMetadata, Chart, ChartProps, Cron, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { LogShipper, NetworkAccess, SecretMount, SecureCronJob, SecureDeployment, SecureResources, SecureStatefulSet, Suppressions } from '../lib';
import { FLUENT_BIT_IMAGE, PlatformChart } from './platform';

const REGISTRY = 'registry.example.com/shop';
const image = (name: string, tag: string) => `${REGISTRY}/${name}:${tag}`;

const SMALL: SecureResources = {
  cpu: { request: '100m', limit: '500m' },
  memory: { request: '128Mi', limit: '256Mi' },
  ephemeralStorage: { request: '64Mi', limit: '256Mi' },
};

export class ShopChart extends Chart {
  public readonly frontend: SecureDeployment;
  public readonly api: SecureDeployment;
  public readonly report: SecureCronJob;
  public readonly database: SecureStatefulSet;

  constructor(scope: Construct, id: string, platform: PlatformChart, props: ChartProps = {}) {
    super(scope, id, { namespace: platform.shopNamespace.name, ...props });
    // The public frontend and the payment API never share nodes: each pool has one sensitivity.
    const payments = platform.paymentsPool;
    const metadata = (component: string): ApiObjectMetadata => ({ labels: { 'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/component': component } });

    // The database password is created in the cluster by the platform's secret manager;
    // the app only names it, and it arrives as a read-only file at /run/secrets/db/password.
    const dbPassword = () => SecretMount.fromSecretName('shop-db-credentials', { keys: ['password'], path: '/run/secrets/db' });

    this.database = new SecureStatefulSet(this, 'database', {
      metadata: metadata('database'),
      nodePool: payments,
      user: 999,
      group: 999,
      secrets: [dbPassword()],
      containers: [{
        name: 'postgres',
        image: image('postgres', '16.4'),
        portNumber: 5432,
        resources: {
          cpu: { request: '250m', limit: '1' },
          memory: { request: '512Mi', limit: '1Gi' },
          ephemeralStorage: { request: '256Mi', limit: '1Gi' },
        },
        envVariables: {
          POSTGRES_PASSWORD_FILE: kplus.EnvValue.fromValue('/run/secrets/db/password'),
          PGDATA: kplus.EnvValue.fromValue('/var/lib/postgresql/data/pgdata'),
        },
        writablePaths: [{ path: '/var/run/postgresql', sizeLimit: '16Mi' }],
      }],
      // Each replica keeps its own data volume, across restarts and rescheduling.
      volumeClaimTemplates: [{ name: 'data', storage: '10Gi', mountPath: '/var/lib/postgresql/data' }],
    });
    this.api = new SecureDeployment(this, 'api', {
      metadata: metadata('api'),
      replicas: 3,
      nodePool: payments,
      secrets: [dbPassword()],
      containers: [{
        name: 'api',
        image: image('api', '2.3.1'),
        portNumber: 8080,
        resources: SMALL,
        readiness: kplus.Probe.fromHttpGet('/healthz', { port: 8080 }),
        envVariables: {
          DB_HOST: kplus.EnvValue.fromValue(`${this.database.service.name}`),
          DB_PASSWORD_FILE: kplus.EnvValue.fromValue('/run/secrets/db/password'),
        },
      }],
    });

    this.frontend = new SecureDeployment(this, 'frontend', {
      metadata: metadata('frontend'),
      replicas: 2,
      nodePool: platform.webPool,
      // The unprivileged nginx image runs as UID 101 and writes its pid and caches under /tmp.
      user: 101,
      group: 101,
      tmpSizeLimit: '128Mi',
      containers: [{
        name: 'web',
        image: image('web', '1.27.2'),
        portNumber: 8080,
        resources: SMALL,
        readiness: kplus.Probe.fromHttpGet('/', { port: 8080 }),
      }],
    });
    this.frontend.exposeViaService({ name: 'shop-web', ports: [{ port: 80, targetPort: 8080 }] });

    this.report = new SecureCronJob(this, 'nightly-report', {
      metadata: metadata('report'),
      schedule: Cron.daily(),
      nodePool: payments,
      concurrencyPolicy: kplus.ConcurrencyPolicy.FORBID,
      activeDeadline: Duration.hours(1),
      containers: [{
        name: 'report',
        image: image('report', '1.0.9'),
        args: ['--since', '24h'],
        resources: {
          cpu: { request: '200m', limit: '1' },
          memory: { request: '256Mi', limit: '512Mi' },
          ephemeralStorage: { limit: '1Gi' },
        },
        envVariables: { DB_HOST: kplus.EnvValue.fromValue(`${this.database.service.name}`) },
      }],
      writablePaths: [{ path: '/work', sizeLimit: '512Mi' }],
    });

    // Who talks to whom; the namespace denies everything else. Each call writes the egress
    // policy of one side and the ingress policy of the other, for the app ports only.
    NetworkAccess.allowFromNamespace(this.frontend, { namespace: platform.ingressNamespace });
    // The frontend reaches the API by its Service name.
    this.api.exposeViaService({ name: 'shop-api', ports: [{ port: 8080, targetPort: 8080 }] });
    this.frontend.connections.allowTo(this.api);
    this.api.connections.allowTo(this.database);
    this.report.connections.allowTo(this.database);

    // The API, the frontend and the database write log files that a Fluent Bit sidecar ships
    // to the central server (nginx is told to log to /var/log/app by its configuration).
    for (const workload of [this.api, this.frontend, this.database]) {
      new LogShipper(workload, 'logs', { workload, output: platform.logs, image: FLUENT_BIT_IMAGE });
    }
    Suppressions.add(this.report, 'log-shipper', 'prints to stdout, collected by the node agent; native sidecars need Kubernetes 1.29');
  }
}
