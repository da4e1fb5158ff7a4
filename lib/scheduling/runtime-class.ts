import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { Construct } from 'constructs';
import { DNS_LABEL, labelKeyProblem } from '../vocab/labels';
import { checkKnownProps, constructWhere } from '../workloads/known-props';

/**
 * Well-known sandbox runtimes, by the handler name their node configuration usually uses.
 */
export enum SandboxHandler {
  /** gVisor (a user-space kernel). */
  GVISOR = 'runsc',
  /** Kata Containers (a lightweight VM per pod). */
  KATA = 'kata',
}

/**
 * Props of a SandboxRuntimeClass.
 */
export interface SandboxRuntimeClassProps {
  /** The CRI handler configured on the nodes, e.g. `SandboxHandler.GVISOR` ("runsc"). */
  readonly handler: string;
  /**
   * Node labels that select the nodes with the handler installed.
   * @default - pods may land on any node (the handler must then be everywhere)
   */
  readonly nodeSelector?: { [key: string]: string };
  /**
   * Taints of those nodes that pods using this class tolerate (key and value, effect NoSchedule).
   * @default - none
   */
  readonly tolerateTaints?: { [key: string]: string };
  /**
   * Pod overhead the sandbox adds (counted against quotas and scheduling), e.g. { cpu: '250m', memory: '120Mi' }.
   * @default - none declared
   */
  readonly overhead?: { [resource: string]: string };
  /**
   * Metadata.
   * @default - generated name
   */
  readonly metadata?: ApiObjectMetadata;
}

/**
 * A RuntimeClass for a sandboxed runtime (gVisor, Kata): pods that use it run with a kernel of
 * their own instead of sharing the node's (NIST SP 800-190 4.4.3, 4.5.2). The scheduling
 * constraints make the scheduler place those pods only on nodes that have the handler.
 *
 * @see https://kubernetes.io/docs/concepts/containers/runtime-class/
 */
export class SandboxRuntimeClass extends Construct {
  /** The API object. */
  public readonly apiObject: ApiObject;
  /** The RuntimeClass name pods refer to. */
  public readonly name: string;
  /** Node labels the class's pods are scheduled onto, if any. */
  public readonly nodeSelector?: { [key: string]: string };

  constructor(scope: Construct, id: string, props: SandboxRuntimeClassProps) {
    super(scope, id);
    checkKnownProps(constructWhere('SandboxRuntimeClass', scope, id), 'SandboxRuntimeClassProps', props);
    if (typeof props.handler !== 'string' || !DNS_LABEL.test(props.handler) || props.handler.length > 63) {
      throw new Error(`'handler' (${JSON.stringify(props.handler ?? null)}) must be a DNS label such as "runsc" or "kata"`);
    }
    for (const key of [...Object.keys(props.nodeSelector ?? {}), ...Object.keys(props.tolerateTaints ?? {})]) {
      const problem = labelKeyProblem(key);
      if (problem) throw new Error(`'nodeSelector'/'tolerateTaints' key "${key}" is not a valid label key: ${problem}`);
    }
    const tolerations = Object.entries(props.tolerateTaints ?? {}).map(([key, value]) => ({ key, operator: 'Equal', value, effect: 'NoSchedule' }));
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: props.metadata,
      handler: props.handler,
      ...(props.overhead ? { overhead: { podFixed: props.overhead } } : {}),
      ...(props.nodeSelector || tolerations.length ? { scheduling: { nodeSelector: props.nodeSelector,
        tolerations: tolerations.length ? tolerations : undefined } } : {}),
    });
    this.name = this.apiObject.name;
    this.nodeSelector = props.nodeSelector;
  }
}
