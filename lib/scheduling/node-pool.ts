import { ApiObject, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { brand, hasBrand } from '../vocab/brand';
import { labelKeyProblem, labelValueProblem, POOL_LABEL, POOL_SENSITIVITY_LABEL } from '../vocab/labels';
import { Sensitivity, sensitivityRank } from '../vocab/sensitivity';
import { checkKnownProps, constructWhere } from '../workloads/known-props';
import { SandboxRuntimeClass } from './runtime-class';

/**
 * The node class Karpenter launches the pool's nodes from (cloud-specific).
 */
export interface KarpenterNodeClassRef {
  /** API group, e.g. "karpenter.k8s.aws". */
  readonly group: string;
  /** Kind, e.g. "EC2NodeClass". */
  readonly kind: string;
  /** Name of the node class object. */
  readonly name: string;
}

/**
 * A scheduling requirement of the Karpenter NodePool.
 */
export interface KarpenterRequirement {
  /** Node label key, e.g. "kubernetes.io/arch". */
  readonly key: string;
  /** Operator: In, NotIn, Exists, DoesNotExist, Gt, Lt. */
  readonly operator: string;
  /**
   * Values.
   * @default - none (for Exists and DoesNotExist)
   */
  readonly values?: string[];
}

/**
 * Emit the pool as a Karpenter `karpenter.sh/v1` NodePool.
 */
export interface KarpenterOptions {
  /** The node class nodes are launched from. */
  readonly nodeClassRef: KarpenterNodeClassRef;
  /**
   * Further requirements (instance types, capacity type, zones...).
   * @default - Linux nodes only
   */
  readonly requirements?: KarpenterRequirement[];
  /**
   * Total CPU the pool may grow to, a quantity.
   * @default - no limit
   */
  readonly cpuLimit?: string;
  /**
   * Age at which nodes are replaced, so they are rebuilt from a current image.
   * @default Duration.days(30)
   */
  readonly expireAfter?: Duration;
}

/**
 * Props of a NodePool.
 */
export interface NodePoolProps {
  /** The most sensitive data the pool may host; workloads of exactly one sensitivity share it. */
  readonly sensitivity: Sensitivity;
  /**
   * Pool name, used in node labels and the taint.
   * @default - the construct id, lower-cased
   */
  readonly name?: string;
  /**
   * Further node labels (selected by workloads too).
   * @default - only the pool and sensitivity labels
   */
  readonly labels?: { [key: string]: string };
  /**
   * Run every workload of the pool in a sandbox: the CRI handler installed on the pool's
   * nodes, e.g. `SandboxHandler.GVISOR`. The pool emits the RuntimeClass, scheduled onto
   * its own nodes, and its workloads use it.
   * @default - the node's default runtime
   */
  readonly sandbox?: string;
  /**
   * Also emit the pool as a Karpenter NodePool.
   * @default - not emitted (nodes are provisioned outside the app)
   */
  readonly karpenter?: KarpenterOptions;
}

/** A workload placed on a pool. */
interface Placement {
  readonly workload: IConstruct;
  readonly sensitivity: Sensitivity;
}

/**
 * A dedicated pool of nodes for workloads of one sensitivity: nodes labelled
 * `cdk8s-secure.io/node-pool=<name>` and tainted `cdk8s-secure.io/node-pool=<name>:NoSchedule`,
 * so only pods that select and tolerate the pool run there, and nothing else does.
 * Synth fails when workloads of different sensitivity share a pool anywhere in the App.
 */
export class NodePool extends Construct {
  /** Whether `x` is a NodePool (of any installed copy of this library). */
  public static isNodePool(x: any): x is NodePool {
    return hasBrand(x, 'NodePool');
  }

  /** The pool name. */
  public readonly poolName: string;
  /** The pool's sensitivity. */
  public readonly sensitivity: Sensitivity;
  /** Labels every node of the pool carries. */
  public readonly nodeLabels: { [key: string]: string };
  /** The taint every node of the pool carries (effect NoSchedule). */
  public readonly taintKey: string;
  /** Value of the taint. */
  public readonly taintValue: string;
  /** Sandbox every workload of the pool runs in, if any. */
  public readonly runtimeClass?: SandboxRuntimeClass;
  private readonly placements: Placement[] = [];

  constructor(scope: Construct, id: string, props: NodePoolProps) {
    super(scope, id);
    checkKnownProps(constructWhere('NodePool', scope, id), 'NodePoolProps', props);
    brand(this, 'NodePool');
    if (sensitivityRank(props.sensitivity) < 0) {
      throw new Error(`'sensitivity' (${JSON.stringify(props.sensitivity ?? null)}) must be one of ${Object.values(Sensitivity).join(', ')}`);
    }
    this.poolName = props.name ?? id.toLowerCase();
    const nameProblem = labelValueProblem(this.poolName);
    if (nameProblem || this.poolName === '') {
      throw new Error(`'name' (${JSON.stringify(this.poolName)}) is not a valid label value: ${nameProblem ?? 'it is empty'}`);
    }
    for (const [key, value] of Object.entries(props.labels ?? {})) {
      const problem = labelKeyProblem(key);
      if (problem) throw new Error(`'labels' key "${key}" is not a valid label key: ${problem}`);
      const valueProblem = labelValueProblem(value);
      if (valueProblem) throw new Error(`'labels.${key}' (${JSON.stringify(value)}) is not a valid label value: ${valueProblem}`);
      if (key === POOL_LABEL || key === POOL_SENSITIVITY_LABEL) throw new Error(`'labels' may not set "${key}": the pool sets it`);
    }
    this.sensitivity = props.sensitivity;
    this.nodeLabels = { [POOL_LABEL]: this.poolName, [POOL_SENSITIVITY_LABEL]: props.sensitivity, ...props.labels };
    this.taintKey = POOL_LABEL;
    this.taintValue = this.poolName;
    if (props.sandbox !== undefined) {
      this.runtimeClass = new SandboxRuntimeClass(this, 'RuntimeClass', {
        handler: props.sandbox,
        nodeSelector: this.nodeLabels,
        tolerateTaints: { [this.taintKey]: this.taintValue },
        metadata: { name: `${this.poolName}-${props.sandbox}` },
      });
    }
    if (props.karpenter) this.emitKarpenterNodePool(props.karpenter);
    this.node.addValidation({ validate: () => this.validatePlacements() });
  }

  /**
   * Records that `workload` runs on this pool with `sensitivity`.
   * @internal
   */
  public _place(workload: IConstruct, sensitivity: Sensitivity): void {
    if (sensitivityRank(sensitivity) > sensitivityRank(this.sensitivity)) {
      throw new Error(`'sensitivity' (${sensitivity}) of ${workload.node.path} is above the sensitivity of node pool "${this.poolName}" `
        + `(${this.sensitivity}); place it on a pool of sensitivity ${sensitivity}`);
    }
    this.placements.push({ workload, sensitivity });
  }

  private validatePlacements(): string[] {
    const levels = new Set(this.placements.map(p => p.sensitivity));
    if (levels.size <= 1) return [];
    const who = this.placements.map(p => `${p.workload.node.path} (${p.sensitivity})`).join(', ');
    return [`node pool "${this.poolName}" hosts workloads of different sensitivity: ${who}; `
      + `workloads of different sensitivity must not share nodes, so give each sensitivity its own pool`];
  }

  private emitKarpenterNodePool(options: KarpenterOptions): void {
    const ref = options.nodeClassRef;
    if (!ref || !ref.group || !ref.kind || !ref.name) {
      throw new Error(`'karpenter.nodeClassRef' (${JSON.stringify(ref ?? null)}) must name group, kind and name, `
        + `e.g. { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }`);
    }
    new ApiObject(this, 'KarpenterNodePool', {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: this.poolName },
      spec: {
        template: {
          metadata: { labels: this.nodeLabels },
          spec: {
            nodeClassRef: { group: ref.group, kind: ref.kind, name: ref.name },
            taints: [{ key: this.taintKey, value: this.taintValue, effect: 'NoSchedule' }],
            requirements: options.requirements ?? [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }],
            expireAfter: `${(options.expireAfter ?? Duration.days(30)).toHours()}h`,
          },
        },
        ...(options.cpuLimit ? { limits: { cpu: options.cpuLimit } } : {}),
      },
    });
  }
}
