import { Construct } from 'constructs';
import * as kplus from '../kplus';
import { ImagePolicy } from '../supply-chain/image-policy';
import { imageReferenceProblem, parseImageReference } from '../vocab/image-reference';
import { LOG_SHIPPER_ANNOTATION } from '../vocab/labels';
import { shown } from '../vocab/shown';
import { checkKnownProps, constructWhere } from '../workloads/known-props';
import { SecureContainerProps, SecureResources } from '../workloads/props';
import { ISecureWorkload } from '../workloads/secure-workload';
import { allowOutput, FLUENT_BIT_STATE_DIR, fluentBitConfigMap, fluentBitContainer } from './fluent-bit-config';
import { LogOutput } from './log-output';

/** Name of the shipper container. */
export const LOG_SHIPPER_CONTAINER = 'log-shipper';
/** Resources of the shipper unless told otherwise. */
export const DEFAULT_SHIPPER_RESOURCES: SecureResources = {
  cpu: { request: '50m', limit: '200m' },
  memory: { request: '64Mi', limit: '128Mi' },
  ephemeralStorage: { limit: '128Mi' },
};

/**
 * Options of a log shipper.
 */
export interface LogShipperOptions {
  /** The central log server. */
  readonly output: LogOutput;
  /** Fluent Bit image (3.x), pinned by digest, e.g. from your mirror of fluent/fluent-bit. */
  readonly image: string;
  /**
   * Directory the app writes its `*.log` files to (a shared emptyDir).
   * @default "/var/log/app"
   */
  readonly logPath?: string;
  /**
   * Size limit of the shared log directory.
   * @default "256Mi"
   */
  readonly logSizeLimit?: string;
  /**
   * The app container whose name and image label the records.
   * @default - the workload's first container
   */
  readonly container?: string;
  /**
   * Run the shipper as a native sidecar (an init container with restartPolicy Always), which
   * starts before the app and stops after it. Needs Kubernetes 1.29+ (beta, on by default), or
   * 1.28 with the SidecarContainers feature gate. Jobs and CronJobs always use it: a regular
   * sidecar never exits, so the Job would never complete.
   * @default - false for Deployments and StatefulSets, true for Jobs and CronJobs
   */
  readonly nativeSidecar?: boolean;
  /**
   * Resources of the shipper container.
   * @default DEFAULT_SHIPPER_RESOURCES
   */
  readonly resources?: SecureResources;
  /**
   * Memory Fluent Bit buffers before it pauses reading.
   * @default "5MB"
   */
  readonly memBufLimit?: string;
}

/**
 * Props of a LogShipper.
 */
export interface LogShipperProps extends LogShipperOptions {
  /** The Secure* workload whose logs are shipped. */
  readonly workload: ISecureWorkload;
}

/**
 * `memBufLimit` as Fluent Bit reads a size (flb_utils_size_to_bytes): a positive number with an optional unit K, M or G
 * (KB, MB, GB; any case), no space. Fluent Bit refuses anything else at start, and the shipper would crash-loop.
 */
function memBufLimitOf(value: unknown): string {
  if (value === undefined) return '5MB';
  if (typeof value !== 'string' || !/^(?:[1-9]\d*|\d+\.\d*[1-9]\d*)(?:[kKmMgG][bB]?)?$/.test(value)) {
    throw new Error(`LogShipper: 'memBufLimit' (${shown(value)}) must be a size as Fluent Bit reads one: a positive number with an optional `
      + 'unit K, M or G (KB, MB, GB), no space, e.g. "5MB"');
  }
  return value;
}

/** What every ISecureWorkload offers and the shipper calls. */
const SECURE_WORKLOAD_METHODS = ['addSecureContainer', 'addSecureInitContainer', 'addWritablePath', 'addSecretMount'] as const;

/** `workload` when it is a Secure* workload (an ISecureWorkload), else an error naming what it is and the fix. */
function secureWorkload(where: string, workload: unknown): ISecureWorkload {
  const w = workload as any;
  let ok = false;
  try {
    ok = typeof w?.node?.path === 'string' && Array.isArray(w.containers) && SECURE_WORKLOAD_METHODS.every(m => typeof w[m] === 'function');
  } catch {
    ok = false;
  }
  if (!ok) {
    let what = shown(workload);
    try {
      if (typeof w?.node?.path === 'string') what = `${w.constructor?.name ?? 'a construct'} ${shown(w.node.path)}`;
    } catch {
      // a value whose getters throw is named as shown has it
    }
    throw new Error(`${where}: 'workload' (${what}) must be a Secure* workload (SecureDeployment, SecureStatefulSet, SecureJob or `
      + 'SecureCronJob): the shipper is added with the secure container defaults and writable paths only they offer');
  }
  return w as ISecureWorkload;
}

/**
 * A hardened Fluent Bit sidecar that tails the app's log files from a shared emptyDir and
 * ships them to a central server, each record labelled with pod, namespace, container and
 * image (with its digest). Its configuration is a ConfigMap in Fluent Bit's YAML format; its
 * readiness probe asks whether Fluent Bit runs (its uptime), not whether the log server takes logs, so an outage of the
 * server does not take the app out of service. It meets every rule the app does. The
 * pods may reach the log server: an egress NetworkPolicy to the output's `destination`.
 */
export class LogShipper extends Construct {
  /** The Fluent Bit configuration. */
  public readonly configMap: kplus.ConfigMap;
  /** The shipper container. */
  public readonly container: kplus.Container;

  constructor(scope: Construct, id: string, props: LogShipperProps) {
    super(scope, id);
    checkKnownProps(constructWhere('LogShipper', scope, id), 'LogShipperProps', props);
    const workload = secureWorkload(constructWhere('LogShipper', scope, id), props.workload);
    checkPinned(props.image, ImagePolicy.of(workload));
    const logPath = props.logPath ?? '/var/log/app';
    const native = props.nativeSidecar ?? workload.runsToCompletion;
    if (workload.runsToCompletion && !native) {
      throw new Error(`'nativeSidecar' (false) would keep the Job from ever completing: a regular sidecar never exits. `
        + `Leave it on (native sidecars need Kubernetes 1.29+, or 1.28 with the SidecarContainers feature gate)`);
    }
    const app = props.container
      ? workload.containers.find(c => c.name === props.container)
      : workload.containers[0];
    if (!app) {
      throw new Error(`'container' (${JSON.stringify(props.container ?? null)}) names no container of ${workload.node.path}; `
        + `it has ${workload.containers.map(c => c.name).join(', ') || 'none yet'}`);
    }

    this.configMap = fluentBitConfigMap(this, 'Config', {
      input: {
        'name': 'tail',
        'path': `${logPath.replace(/\/+$/, '')}/*.log`,
        'db': `${FLUENT_BIT_STATE_DIR}/tail.db`,
        'db.locking': 'true',
        'skip_long_lines': 'on',
        'refresh_interval': 5,
      },
      // The image as it runs: with the digest the ImagePolicy's lock pins it to.
      addFields: { pod: '${POD_NAME}', namespace: '${POD_NAMESPACE}', container: app.name,
        image: ImagePolicy.of(workload)?.resolve(app.image).image ?? app.image },
      output: props.output,
      memBufLimit: memBufLimitOf(props.memBufLimit),
    });

    // The app writes the directory; the shipper only reads it.
    workload.addWritablePath({ path: logPath, sizeLimit: props.logSizeLimit ?? '256Mi', readOnlyIn: [LOG_SHIPPER_CONTAINER] });
    const shipper: SecureContainerProps = {
      ...fluentBitContainer(this, LOG_SHIPPER_CONTAINER, props.image, props.resources ?? DEFAULT_SHIPPER_RESOURCES, this.configMap, props.output),
      restartPolicy: native ? kplus.ContainerRestartPolicy.ALWAYS : undefined,
    };
    this.container = native ? workload.addSecureInitContainer(shipper) : workload.addSecureContainer(shipper);
    workload.podMetadata.addAnnotation(LOG_SHIPPER_ANNOTATION, LOG_SHIPPER_CONTAINER);
    allowOutput(workload, props.output, LOG_SHIPPER_CONTAINER);
  }
}

/** Throws unless `image` is a valid reference pinned by digest, in itself or through the ImagePolicy's lock. */
export function checkPinned(image: string, policy?: ImagePolicy): void {
  let digest: string | undefined;
  try {
    digest = parseImageReference(image).digest;
  } catch (e) {
    throw new Error(`'image' (${shown(image)}) is not valid: ${imageReferenceProblem(e) ?? (e as Error).message}`);
  }
  if (!digest && !policy?.resolve(image).pinned) {
    throw new Error(`'image' (${shown(image)}) must be pinned by digest (repo:tag@sha256:..., or through the ImagePolicy's lock), `
      + `so the shipper that sees every log line is exactly the image you reviewed`);
  }
}
