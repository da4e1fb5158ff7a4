import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { checkKnownProps, constructWhere } from '../workloads/known-props';
import { ImagePolicy } from './image-policy';

/**
 * The admissionregistration API version to emit.
 */
export enum AdmissionPolicyApiVersion {
  /** Kubernetes 1.28 and 1.29 (feature gate ValidatingAdmissionPolicy, off by default in 1.28). */
  V1BETA1 = 'admissionregistration.k8s.io/v1beta1',
  /** Kubernetes 1.30 and later (GA). */
  V1 = 'admissionregistration.k8s.io/v1',
}

/**
 * What the cluster does with a pod that breaks the policy.
 */
export enum AdmissionAction {
  /** Reject the request. */
  DENY = 'Deny',
  /** Admit it and warn the client. */
  WARN = 'Warn',
  /** Admit it and record an audit annotation. */
  AUDIT = 'Audit',
}

/**
 * Props of an ImageAdmissionPolicy.
 */
export interface ImageAdmissionPolicyProps {
  /** The ImagePolicy whose allowlist (and digest requirement) the cluster enforces. */
  readonly policy: ImagePolicy;
  /**
   * API version.
   * @default AdmissionPolicyApiVersion.V1BETA1 (Kubernetes 1.28)
   */
  readonly apiVersion?: AdmissionPolicyApiVersion;
  /**
   * What to do with a pod that breaks the policy.
   * @default [AdmissionAction.DENY]
   */
  readonly actions?: AdmissionAction[];
  /**
   * Name of the policy (and its binding).
   * @default "cdk8s-secure-images"
   */
  readonly name?: string;
}

/** Every pod-bearing resource, and the ephemeral containers subresource of pods. */
const RESOURCE_RULES = [
  { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'],
    resources: ['pods', 'pods/ephemeralcontainers', 'replicationcontrollers', 'podtemplates'] },
  { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'],
    resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'] },
  { apiGroups: ['batch'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['jobs', 'cronjobs'] },
];

/** CEL: the pod spec of any pod-bearing object. */
export const POD_SPEC_EXPRESSION = "object.kind == 'Pod' ? object.spec : object.kind == 'PodTemplate' ? object.template.spec : "
  + "object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec";
/** CEL: every container of the pod spec, init and ephemeral included. */
export const CONTAINERS_EXPRESSION = '(has(variables.podSpec.containers) ? variables.podSpec.containers : []) + '
  + '(has(variables.podSpec.initContainers) ? variables.podSpec.initContainers : []) + '
  + '(has(variables.podSpec.ephemeralContainers) ? variables.podSpec.ephemeralContainers : [])';

function celString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * A ValidatingAdmissionPolicy and its binding, made from the same allowlist the ImagePolicy
 * checks at synth, so the cluster enforces what synth checked: every container (init and
 * ephemeral included) of every pod-bearing kind must run an image from a trusted registry,
 * pinned by digest where the policy requires digests. CEL sees image strings only: it cannot
 * verify signatures, and references must be written fully qualified (a Docker Hub short name
 * such as "nginx" does not match "docker.io/library").
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 */
export class ImageAdmissionPolicy extends Construct {
  /** The ValidatingAdmissionPolicy. */
  public readonly policy: ApiObject;
  /** Its binding. */
  public readonly binding: ApiObject;

  constructor(scope: Construct, id: string, props: ImageAdmissionPolicyProps) {
    super(scope, id);
    checkKnownProps(constructWhere('ImageAdmissionPolicy', scope, id), 'ImageAdmissionPolicyProps', props);
    const apiVersion = props.apiVersion ?? AdmissionPolicyApiVersion.V1BETA1;
    const name = props.name ?? 'cdk8s-secure-images';
    const actions = props.actions ?? [AdmissionAction.DENY];
    if (actions.length === 0) throw new Error(`'actions' ([]) must name at least one of ${Object.values(AdmissionAction).join(', ')}`);
    // Each trusted entry matches as a path prefix: "registry.example.com/shop" admits
    // "registry.example.com/shop/api:1" but not "registry.example.com/shopping/x".
    const prefixes = props.policy.trustedRegistries.map(r => celString(`${r.replace(/\/+$/, '')}/`)).join(', ');
    const validations: any[] = [{
      expression: `variables.containers.all(c, [${prefixes}].exists(p, c.image.startsWith(p)))`,
      message: `every container image must come from a trusted registry: ${props.policy.trustedRegistries.join(', ')}`,
      reason: 'Forbidden',
    }];
    if (props.policy.requireDigest) {
      validations.push({
        expression: "variables.containers.all(c, c.image.matches('@sha256:[a-f0-9]{64}$'))",
        message: 'every container image must be pinned by digest (image@sha256:...)',
        reason: 'Forbidden',
      });
    }
    this.policy = new ApiObject(this, 'Policy', {
      apiVersion,
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: { resourceRules: RESOURCE_RULES },
        variables: [
          { name: 'podSpec', expression: POD_SPEC_EXPRESSION },
          { name: 'containers', expression: CONTAINERS_EXPRESSION },
        ],
        validations,
      },
    });
    this.binding = new ApiObject(this, 'Binding', {
      apiVersion,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name },
      spec: { policyName: name, validationActions: actions },
    });
  }
}
