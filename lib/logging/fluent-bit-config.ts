// The Fluent Bit configuration (YAML format) for the log shipper and the events shipper:
// one renderer, so both ship the same way.
import { Construct } from 'constructs';
import { dump } from 'js-yaml';
import * as kplus from '../kplus';
import { NetworkAccess } from '../network/network-access';
import { SecretMount } from '../secrets/secret-mount';
import { SecureContainerProps, SecureResources } from '../workloads/props';
import { ISecureWorkload } from '../workloads/secure-workload';
import { LOG_CLIENT_CERTIFICATE_DIR, LogOutput } from './log-output';

/** Where the HTTP server (the uptime endpoint the readiness probe asks) listens. */
const FLUENT_BIT_HTTP_PORT = 2020;
/**
 * The readiness probe's endpoint: answered while Fluent Bit runs. Not `/api/v1/health`, which with `health_check` turns
 * unhealthy after a few failed flushes: a pod is Ready only while all its containers are, so a log server outage would take
 * the app's pods out of every Service. Logs that cannot be sent wait in the buffer; the app keeps serving.
 */
const FLUENT_BIT_READY_PATH = '/api/v1/uptime';
/** Directory of the configuration file (a ConfigMap). */
const FLUENT_BIT_CONFIG_DIR = '/fluent-bit/etc';
/** The configuration file name. */
const FLUENT_BIT_CONFIG_FILE = 'fluent-bit.yaml';
/** Writable directory for offset databases and buffers (an emptyDir). */
export const FLUENT_BIT_STATE_DIR = '/fluent-bit/state';

export interface FluentBitPipeline {
  /** The input section (tail, kubernetes_events, ...). */
  readonly input: { [key: string]: any };
  /** Fields added to every record, values may use ${ENV} substitution. */
  readonly addFields: { [key: string]: string };
  readonly output: LogOutput;
  /** Memory buffer per input before back-pressure, e.g. "5MB". */
  readonly memBufLimit: string;
}

/** The whole configuration file as text. */
function renderFluentBitConfig(p: FluentBitPipeline): string {
  const config = {
    service: {
      'flush': 1,
      'log_level': 'info',
      'http_server': 'on',
      'http_listen': '0.0.0.0',
      'http_port': FLUENT_BIT_HTTP_PORT,
      'storage.path': `${FLUENT_BIT_STATE_DIR}/buffer`,
    },
    pipeline: {
      inputs: [{ ...p.input, 'tag': 'app', 'mem_buf_limit': p.memBufLimit, 'storage.type': 'memory' }],
      filters: [{
        name: 'record_modifier',
        match: '*',
        record: Object.entries(p.addFields).map(([k, v]) => `${k} ${v}`),
      }],
      outputs: [(() => {
        const out = p.output.toFluentBit('*');
        return { name: out.name, ...out.properties };
      })()],
    },
  };
  return dump(config, { lineWidth: -1, noRefs: true });
}

/**
 * The ConfigMap holding a pipeline's configuration; reasons given for weakening TLS are
 * annotated on it, so they show in review.
 */
export function fluentBitConfigMap(scope: Construct, id: string, pipeline: FluentBitPipeline): kplus.ConfigMap {
  const configMap = new kplus.ConfigMap(scope, id, { data: { [FLUENT_BIT_CONFIG_FILE]: renderFluentBitConfig(pipeline) } });
  for (const [what, reason] of Object.entries(pipeline.output.tlsExemptions)) configMap.metadata.addAnnotation(`cdk8s-secure.io/${what}`, reason);
  return configMap;
}

/**
 * A Fluent Bit container reading `configMap`: numeric non-root user (the upstream image runs as
 * root unless told otherwise), its state on an emptyDir, probed for readiness on the uptime endpoint.
 */
export function fluentBitContainer(
  scope: Construct, name: string, image: string, resources: SecureResources, configMap: kplus.ConfigMap, output: LogOutput,
): SecureContainerProps {
  const secrets = Object.fromEntries(Object.entries(output.secretEnv).map(([variable, s]) => [variable, kplus.EnvValue.fromSecretValue({
    secret: kplus.Secret.fromSecretName(scope, `${name}-${variable}`, s.secretName), key: s.key,
  })]));
  const reason = output.secretEnvReason;
  return {
    name,
    image,
    args: ['-c', `${FLUENT_BIT_CONFIG_DIR}/${FLUENT_BIT_CONFIG_FILE}`],
    user: 65532,
    group: 65532,
    resources,
    // No declared port: cdk8s-plus would open every declared port to every peer of
    // connections.allowFrom and expose it through Services. Probes come from the node, which
    // NetworkPolicies always admit.
    readiness: kplus.Probe.fromHttpGet(FLUENT_BIT_READY_PATH, { port: FLUENT_BIT_HTTP_PORT }),
    envVariables: {
      POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
      POD_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE),
      ...secrets,
    },
    // Recorded as a suppression of secret-env with this reason, on the manifest and in every report.
    exemptions: reason ? { secretsInEnv: { reason } } : undefined,
    volumeMounts: [{
      path: FLUENT_BIT_CONFIG_DIR,
      volume: kplus.Volume.fromConfigMap(scope, 'ConfigVolume', configMap, { name: `${name}-config`, defaultMode: 0o440 }),
      readOnly: true,
    }],
    writablePaths: [{ path: FLUENT_BIT_STATE_DIR, sizeLimit: '128Mi' }],
  };
}

/**
 * Mounts the output's client certificate into the shipper, and
 * lets the workload's pods reach the log server: an egress NetworkPolicy to its declared
 * destination, or, when only a DNS name is known, the recorded need, which the
 * `egress-reachable` rule reports where a default-deny policy blocks it.
 */
export function allowOutput(workload: ISecureWorkload, output: LogOutput, container: string): void {
  if (!(workload instanceof kplus.Workload)) {
    throw new Error(`${workload.node.path} is not a cdk8s-plus workload; a log shipper needs a Secure* workload`);
  }
  const cert = output.clientCertificate;
  if (cert) {
    const keys = [cert.certificateKey ?? 'tls.crt', cert.privateKeyKey ?? 'tls.key'];
    workload.addSecretMount(SecretMount.fromSecretName(cert.secretName, { keys, path: LOG_CLIENT_CERTIFICATE_DIR, containers: [container] }));
  }
  const need = { name: output.description, port: output.port };
  if (output.destination) NetworkAccess.allowTo(workload, output.destination, need);
  else NetworkAccess.requireEgress(workload, need);
}
