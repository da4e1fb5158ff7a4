// What the API server's validation refuses in a value that decodes (structure.ts's walk decides what decodes), where users'
// mistakes are: a name the object's kind does not take, a label that is no label, a container name that is no DNS label or is
// used twice, an ephemeral container in an object being created, a Localhost seccomp or AppArmor profile that names no profile,
// a user ID out of range, privileged without privilege escalation. Each rule is Kubernetes' own (apimachinery's
// ValidateObjectMetaAccessor, ValidateLabels, ValidateAnnotations, ValidateFinalizerName and its Name* functions;
// pkg/apis/core/validation/validation.go's ValidatePodSpec containers, ValidatePodCreate, ValidatePodTemplateSpec,
// ValidateSecurityContext, ValidatePodSecurityContext, validateSeccompProfileField, validateAppArmorProfileField), keyed by the
// schema type it applies to and run where the walk meets a value of that type, so only objects that set the field pay for it.
import { goTrimSpace } from '../vocab/go-strings';
import { DNS_LABEL, DNS_SUBDOMAIN, labelKeyProblem, labelValueProblem } from '../vocab/labels';
import { shown } from './checks/shown';

/** Where a validation reports: `at` is the path below the value checked (`.name`, `.labels["app"]`, or '' for the value). */
export interface ProblemSink {
  add(at: string, message: string, fix: string): void;
}

/**
 * A validation of a value of one schema type, given the type of what holds it (undefined at the root) and whether that is the
 * object itself: a Pod's spec and a template's are validated alike but for ephemeral containers, an object's own metadata and a
 * template's alike but for the name.
 */
type Validation = (value: { readonly [field: string]: unknown }, sink: ProblemSink, holder: string | undefined, ofObject: boolean) => void;

/** The type structure.ts walks a custom resource's top level as: its metadata is an ObjectMeta, the rest its project's. */
export const CUSTOM_RESOURCE = 'CustomResource';

const QUALIFIED_NAME = 'a name of at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit, '
  + 'optionally after a lower-case DNS subdomain and "/" (e.g. "app.kubernetes.io/name")';
const LABEL_VALUE = 'at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit (or empty)';
/** apimachinery's TotalAnnotationSizeLimitB: the keys and values of an object's annotations, in bytes. */
const ANNOTATIONS_BYTES = 256 * 1024;

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isRecord(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A map key as a path writes it: `["app"]`. */
function key(k: string): string {
  return `[${JSON.stringify(k)}]`;
}

/** How a kind's names are checked: apimachinery's NameIsDNSSubdomain, NameIsDNSLabel, NameIsDNS1035Label, or path.ValidatePathSegmentName. */
interface NameRule {
  /** Whether `name` passes (`prefix`: a generateName, whose trailing "-" is masked as the Name* functions mask it). */
  readonly passes: (name: string, prefix: boolean) => boolean;
  /** What a name must be, for the message. */
  readonly must: string;
  /** The most characters a name may have past the rule's own (a CronJob's: 52, for the Jobs it names). */
  readonly most?: number;
}

/** A generateName's last "-" as the Name* functions mask it before they check the prefix (maskTrailingDash). */
function masked(name: string, prefix: boolean): string {
  return prefix && name.length > 1 && name.endsWith('-') ? `${name.slice(0, -1)}a` : name;
}

const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Whether `name` has at most `most` characters and matches `syntax`. */
function fits(name: string, most: number, syntax: RegExp): boolean {
  return name.length <= most && syntax.test(name);
}

const SUBDOMAIN: NameRule = {
  passes: (name, prefix) => fits(masked(name, prefix), 253, DNS_SUBDOMAIN),
  must: 'a DNS subdomain: at most 253 lower-case letters, digits, "-" and ".", starting and ending with a letter or digit',
};
const LABEL: NameRule = {
  passes: (name, prefix) => fits(masked(name, prefix), 63, DNS_LABEL),
  must: 'a DNS label: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit',
};
const LABEL_1035: NameRule = {
  passes: (name, prefix) => fits(masked(name, prefix), 63, DNS_1035_LABEL),
  must: 'a DNS-1035 label: at most 63 lower-case letters, digits and "-", starting with a letter and ending with a letter or digit',
};
// What every object's name must be, whatever its kind's own rule (BeforeCreate's ValidateObjectMetaAccessor with
// path.ValidatePathSegmentName): a prefix only of what it may not contain. Every DNS name is one.
const PATH_SEGMENT: NameRule = {
  passes: (name, prefix) => !name.includes('/') && !name.includes('%') && (prefix || (name !== '.' && name !== '..')),
  must: 'a URL path segment: not "." or "..", and without "/" or "%"',
};

/**
 * The kinds whose names have a rule of their own, by their schema type (pkg/apis/core/validation's ValidatePodName,
 * ValidateServiceName, ValidateNamespaceName, ...; apps', batch's, networking's, policy's, rbac's ValidateXName): the kinds users
 * write. A custom resource's is NameIsDNSSubdomain (the CRD handler's); any other kind's, the path segment every name must be.
 */
const NAME_RULES: { readonly [holder: string]: NameRule | undefined } = Object.assign(Object.create(null), {
  ...Object.fromEntries(['V1Pod', 'V1PodTemplate', 'V1ReplicationController', 'V1Deployment', 'V1ReplicaSet', 'V1DaemonSet', 'V1StatefulSet',
    'V1Job', 'V1ConfigMap', 'V1Secret', 'V1ServiceAccount', 'V1PersistentVolumeClaim', 'V1LimitRange', 'V1ResourceQuota', 'V1NetworkPolicy',
    'V1Ingress', 'V1IngressClass', 'V1PodDisruptionBudget', 'V1HorizontalPodAutoscaler', 'V2HorizontalPodAutoscaler', 'V1PriorityClass',
    'V1StorageClass', 'V1RuntimeClass', CUSTOM_RESOURCE].map(type => [type, SUBDOMAIN])),
  // ValidateCronJob: a subdomain of at most 52 characters (the Jobs it makes add 11).
  V1CronJob: { ...SUBDOMAIN, most: 52 },
  V1Namespace: LABEL,
  V1Service: LABEL_1035,
  ...Object.fromEntries(['V1Role', 'V1ClusterRole', 'V1RoleBinding', 'V1ClusterRoleBinding'].map(type => [type, PATH_SEGMENT])),
});

/**
 * The namespaced kinds users write, by schema type (their REST strategies' NamespaceScoped is true): their namespace is
 * validated. Any other kind's is left alone (a cluster-scoped one's is cleared; the API server would refuse an object of a
 * namespaced kind left out here all the same, so leaving one out only misses a refusal).
 */
const NAMESPACED = new Set(['V1Pod', 'V1PodTemplate', 'V1ReplicationController', 'V1Service', 'V1Endpoints', 'V1ConfigMap', 'V1Secret',
  'V1ServiceAccount', 'V1PersistentVolumeClaim', 'V1LimitRange', 'V1ResourceQuota', 'V1Deployment', 'V1ReplicaSet', 'V1DaemonSet',
  'V1StatefulSet', 'V1ControllerRevision', 'V1Job', 'V1CronJob', 'V1HorizontalPodAutoscaler', 'V2HorizontalPodAutoscaler',
  'V1NetworkPolicy', 'V1Ingress', 'V1PodDisruptionBudget', 'V1Role', 'V1RoleBinding', 'V1Lease', 'V1EndpointSlice',
  'V1CSIStorageCapacity']);

/** A kind's name as messages say it: V1Service is a Service, CustomResource a custom resource. */
function kindOf(holder: string): string {
  return holder === CUSTOM_RESOURCE ? 'custom resource' : holder.replace(/^V\d+(?:(?:alpha|beta)\d+)?/, '');
}

function validateObjectMeta(meta: { readonly [field: string]: unknown }, sink: ProblemSink, holder: string | undefined, ofObject: boolean): void {
  // An object's own metadata (a pod template's has no name to check).
  const rule = ofObject && holder !== undefined ? NAME_RULES[holder] ?? PATH_SEGMENT : undefined;
  if (rule !== undefined) {
    const name = meta.name;
    if (isString(name) && name !== '') {
      if (!rule.passes(name, false)) {
        sink.add('.name', `name ${shown(name)} is not a valid ${kindOf(holder!)} name: it must be ${rule.must}`,
          'Rename the object as the rule says (e.g. "web-api": lower case, "-" for "_" and spaces).');
      } else if (rule.most !== undefined && name.length > rule.most) {
        sink.add('.name', `name ${shown(name)} is ${name.length} characters long; a ${kindOf(holder!)}'s name is at most ${rule.most}`,
          `Shorten the name to ${rule.most} characters.`);
      }
    }
    const generateName = meta.generateName;
    if (isString(generateName) && generateName !== '' && !rule.passes(generateName, true)) {
      sink.add('.generateName', `generateName ${shown(generateName)} does not start a valid ${kindOf(holder!)} name: the name made of it must be `
        + rule.must, 'Write generateName as the rule says, ending in "-" (e.g. "web-").');
    }
  }
  // ValidateObjectMetaAccessor: a namespaced object's namespace is a DNS label (ValidateNamespaceName, NameIsDNSLabel); a
  // cluster-scoped object's is cleared before validation (rest.BeforeCreate), and a custom resource's scope is its CRD's.
  const namespace = meta.namespace;
  if (ofObject && holder !== undefined && NAMESPACED.has(holder) && isString(namespace) && namespace !== ''
    && !LABEL.passes(namespace, false)) {
    sink.add('.namespace', `namespace ${shown(namespace)} is not a valid namespace name: it must be ${LABEL.must}`,
      'Name the namespace as Kubernetes names take it (e.g. "team-payments": lower case, "-" for "_", "." and spaces).');
  }
  validateLabels(meta.labels, 'labels', sink);
  const annotations = meta.annotations;
  if (isRecord(annotations)) {
    // Go counts bytes; a UTF-16 unit is at most three bytes of UTF-8, so only annotations that long are counted.
    let units = 0;
    for (const k in annotations) {
      // Annotation keys are qualified names compared in lower case (ValidateAnnotations lower-cases them first).
      if (!passes(ANNOTATION_KEYS, k, isAnnotationKey)) {
        sink.add(`.annotations${key(k)}`, `annotation key ${shown(k)} is not a qualified name: an annotation key is ${QUALIFIED_NAME}`,
          'Rename the annotation key (e.g. "example.com/note").');
      }
      const v = annotations[k];
      units += k.length + (isString(v) ? v.length : 0);
    }
    const bytes = units * 3 > ANNOTATIONS_BYTES ? annotationBytes(annotations) : 0;
    if (bytes > ANNOTATIONS_BYTES) {
      sink.add('.annotations', `annotations take ${bytes} bytes (keys and values); Kubernetes allows at most ${ANNOTATIONS_BYTES}`,
        'Move large values out of the annotations (a ConfigMap, or the object itself).');
    }
  }
  const finalizers = meta.finalizers;
  if (Array.isArray(finalizers)) {
    for (let i = 0; i < finalizers.length; i++) {
      const f: unknown = finalizers[i];
      if (isString(f) && !passes(LABEL_KEYS, f, isQualifiedName)) {
        sink.add(`.finalizers[${i}]`, `finalizer ${shown(f)} is not a qualified name: a finalizer is ${QUALIFIED_NAME}`,
          'Name the finalizer as its controller does (e.g. "example.com/cleanup").');
      }
    }
  }
}

/**
 * A map of labels (an object's, a pod's nodeSelector, a selector's matchLabels) as apimachinery's ValidateLabels checks it: each
 * key a qualified name, each value a label value. `field` is the map's field, for the paths.
 */
function validateLabels(labels: unknown, field: string, sink: ProblemSink): void {
  if (!isRecord(labels)) return;
  for (const k in labels) {
    if (!passes(LABEL_KEYS, k, isQualifiedName)) {
      sink.add(`.${field}${key(k)}`, `label key ${shown(k)} is not a qualified name: a label key is ${QUALIFIED_NAME}`,
        'Rename the label key (e.g. "app.kubernetes.io/component").');
    }
    const v = labels[k];
    if (isString(v) && !passes(LABEL_VALUES, v, isLabelValue)) {
      sink.add(`.${field}${key(k)}`, `label value ${shown(v)} is not a valid label value: a label value is ${LABEL_VALUE}`,
        'Shorten the value or replace its other characters with "-" (free text belongs in an annotation).');
    }
  }
}

/** The UTF-8 bytes of annotations' keys and string values, as Go's len counts them. */
function annotationBytes(annotations: { readonly [key: string]: unknown }): number {
  let bytes = 0;
  for (const k in annotations) {
    const v = annotations[k];
    bytes += Buffer.byteLength(k, 'utf8') + (isString(v) ? Buffer.byteLength(v, 'utf8') : 0);
  }
  return bytes;
}

const isQualifiedName = (text: string) => labelKeyProblem(text) === undefined;
const isLabelValue = (text: string) => labelValueProblem(text) === undefined;
const isAnnotationKey = (text: string) => labelKeyProblem(text.toLowerCase()) === undefined;

// Strings known to pass, so the few labels and annotations every object of an app repeats are tested once; each set is
// bounded (emptied when full), as the input's strings are any.
const LABEL_KEYS = new Set<string>();
const LABEL_VALUES = new Set<string>();
const ANNOTATION_KEYS = new Set<string>();
const MOST_REMEMBERED = 10_000;

/** Whether `text` passes `test`, remembered in `passed`. */
function passes(passed: Set<string>, text: string, test: (text: string) => boolean): boolean {
  if (passed.has(text)) return true;
  if (!test(text)) return false;
  if (passed.size >= MOST_REMEMBERED) passed.clear();
  passed.add(text);
  return true;
}

function validatePodSpec(spec: { readonly [field: string]: unknown }, sink: ProblemSink, holder: string | undefined): void {
  // Regular containers' names first, then init containers', each unique among both (validateContainers, validateInitContainers).
  // ValidatePodSpec: nodeSelector is a map of labels (ValidateLabels).
  validateLabels(spec.nodeSelector, 'nodeSelector', sink);
  const names = new Set<string>();
  validateContainerNames(spec.containers, 'containers', names, sink);
  validateContainerNames(spec.initContainers, 'initContainers', names, sink);
  const ephemeral = spec.ephemeralContainers;
  if (Array.isArray(ephemeral) && ephemeral.length > 0) {
    if (holder === 'V1Pod') {
      sink.add('.ephemeralContainers', 'ephemeralContainers cannot be set on create: Kubernetes adds them only to a running pod',
        'Remove ephemeralContainers; add a debug container to the running pod with `kubectl debug`.');
    } else {
      sink.add('.ephemeralContainers', 'ephemeral containers are not allowed in a pod template',
        'Remove ephemeralContainers; add a debug container to a running pod with `kubectl debug`.');
    }
  }
}

/** The names of the containers of `list` (a pod's `field`): each a DNS label, and none among `names`, to which they are added. */
function validateContainerNames(list: unknown, field: string, names: Set<string>, sink: ProblemSink): void {
  if (!Array.isArray(list)) return;
  for (let i = 0; i < list.length; i++) {
    const c: unknown = list[i];
    if (!isRecord(c)) continue;
    const name = c.name;
    if (name === undefined || name === null || name === '') {
      sink.add(`.${field}[${i}].name`, `${field}[${i}] has no name: every container needs one, unique in the pod`,
        'Give the container a name (e.g. "app").');
    } else if (isString(name)) {
      if (name.length > 63 || !DNS_LABEL.test(name)) {
        sink.add(`.${field}[${i}].name`, `container name ${shown(name)} is not a DNS label: at most 63 lower-case letters, digits and "-", `
          + 'starting and ending with a letter or digit', 'Rename the container: lower case, "-" for "_", "." or spaces (e.g. "web-api").');
      }
      if (names.has(name)) {
        sink.add(`.${field}[${i}].name`, `container name ${shown(name)} is used twice: container names are unique in a pod, init `
          + 'containers included', 'Give each container its own name.');
      }
      names.add(name);
    }
  }
}

/** The profile types seccompProfile and appArmorProfile take alike. */
const PROFILE_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];

const PROFILE_TYPE_FIX = 'Set type to RuntimeDefault (or Localhost with localhostProfile naming a profile on the node).';

function requiredType(what: string, sink: ProblemSink): void {
  sink.add('.type', `${what} has no type: its type is required (Localhost, RuntimeDefault or Unconfined)`, PROFILE_TYPE_FIX);
}

function unsupportedType(what: string, type: string, sink: ProblemSink): void {
  sink.add('.type', `${what}.type ${shown(type)} is not a profile type: it is Localhost, RuntimeDefault or Unconfined (case-sensitive)`,
    PROFILE_TYPE_FIX);
}

function localhostWithout(what: string, sink: ProblemSink): void {
  sink.add('.localhostProfile', `${what} of type Localhost names no localhostProfile: Kubernetes requires the profile's name there`,
    'Set localhostProfile to the profile loaded on the node, or use type RuntimeDefault.');
}

function localhostElsewhere(what: string, type: string, sink: ProblemSink): void {
  sink.add('.localhostProfile', `${what} sets localhostProfile with type ${shown(type)}: localhostProfile is for type Localhost only`,
    'Remove localhostProfile, or set type to Localhost.');
}

// validateSeccompProfileField: the type's problem, then (whatever the type) localhostProfile set for Localhost only, as a
// relative path without "..".
function validateSeccompProfile(profile: { readonly [field: string]: unknown }, sink: ProblemSink): void {
  const what = 'seccompProfile';
  const type = profile.type;
  const localhost = profile.localhostProfile;
  if (type === undefined || type === null || type === '') requiredType(what, sink);
  else if (!isString(type)) return;
  else if (!PROFILE_TYPES.includes(type)) unsupportedType(what, type, sink);
  if (type === 'Localhost') {
    if (localhost === undefined || localhost === null) localhostWithout(what, sink);
    else if (isString(localhost) && (localhost.startsWith('/') || localhost.split('/').includes('..'))) {
      sink.add('.localhostProfile', `seccompProfile.localhostProfile ${shown(localhost)} must be a path relative to the kubelet's `
        + 'seccomp directory, without ".."', 'Write the profile\'s path relative to the seccomp directory (e.g. "profiles/app.json").');
    }
  } else if (localhost !== undefined && localhost !== null) {
    localhostElsewhere(what, isString(type) ? type : '', sink);
  }
}

/** AppArmor's PATH_MAX - 1, the longest localhostProfile validateAppArmorProfileField takes. */
const APPARMOR_PROFILE_LENGTH = 4095;

// validateAppArmorProfileField (Kubernetes 1.30, which added the field): by type, a Localhost one with a localhostProfile that is
// not blank, not padded with white space and at most 4095 bytes, the others without one.
function validateAppArmorProfile(profile: { readonly [field: string]: unknown }, sink: ProblemSink): void {
  const what = 'appArmorProfile';
  const type = profile.type;
  const localhost = profile.localhostProfile;
  if (type === undefined || type === null || type === '') return requiredType(what, sink);
  if (!isString(type)) return;
  if (!PROFILE_TYPES.includes(type)) return unsupportedType(what, type, sink);
  if (type !== 'Localhost') {
    if (localhost !== undefined && localhost !== null) localhostElsewhere(what, type, sink);
    return;
  }
  if (localhost === undefined || localhost === null) return localhostWithout(what, sink);
  if (!isString(localhost)) return;
  const trimmed = goTrimSpace(localhost);
  if (trimmed !== localhost) {
    sink.add('.localhostProfile', `appArmorProfile.localhostProfile ${shown(localhost)} is padded with white space`,
      'Remove the spaces around the profile name.');
  } else if (trimmed === '') {
    localhostWithout(what, sink);
  }
  if (Buffer.byteLength(localhost, 'utf8') > APPARMOR_PROFILE_LENGTH) {
    sink.add('.localhostProfile', `appArmorProfile.localhostProfile is ${Buffer.byteLength(localhost, 'utf8')} bytes long; `
      + `AppArmor takes at most ${APPARMOR_PROFILE_LENGTH}`, 'Name the profile as it is loaded on the node.');
  }
}

/** validation.IsValidUserID and IsValidGroupID: the IDs libcontainer takes, 0 to math.MaxInt32. */
const MAX_ID = 2147483647;

/** Whether `id` decodes as an int64 (structure.ts says when it does not) but is no valid ID. */
function isOutOfRange(id: unknown): id is number {
  return typeof id === 'number' && Number.isInteger(id) && Math.abs(id) <= 2 ** 63 && (id < 0 || id > MAX_ID);
}

function validateId(context: { readonly [field: string]: unknown }, field: string, what: string, sink: ProblemSink): void {
  const id = context[field];
  if (isOutOfRange(id)) {
    sink.add(`.${field}`, `${field} ${id} is not a ${what} ID Kubernetes takes: it must be from 0 to ${MAX_ID}`,
      `Set ${field} to an ID from 0 to ${MAX_ID} (the image's non-root ${what}, e.g. 10001).`);
  }
}

// ValidatePodSecurityContext: fsGroup, runAsUser, runAsGroup and each supplemental group a valid ID.
function validatePodSecurityContext(context: { readonly [field: string]: unknown }, sink: ProblemSink): void {
  validateId(context, 'runAsUser', 'user', sink);
  validateId(context, 'runAsGroup', 'group', sink);
  validateId(context, 'fsGroup', 'group', sink);
  const groups = context.supplementalGroups;
  if (Array.isArray(groups)) {
    for (let i = 0; i < groups.length; i++) {
      const g: unknown = groups[i];
      if (isOutOfRange(g)) {
        sink.add(`.supplementalGroups[${i}]`, `supplemental group ${g} is not a group ID Kubernetes takes: it must be from 0 to ${MAX_ID}`,
          `Use group IDs from 0 to ${MAX_ID}.`);
      }
    }
  }
}

// ValidateSecurityContext: runAsUser and runAsGroup valid IDs, and no privilege escalation refused to a container that is
// privileged or adds CAP_SYS_ADMIN (both need it). (Its procMount check is left out: the API server of 1.28 drops procMount
// before validation unless the ProcMountType feature gate is on.)
function validateSecurityContext(context: { readonly [field: string]: unknown }, sink: ProblemSink): void {
  validateId(context, 'runAsUser', 'user', sink);
  validateId(context, 'runAsGroup', 'group', sink);
  if (context.allowPrivilegeEscalation !== false) return;
  if (context.privileged === true) {
    sink.add('', 'allowPrivilegeEscalation is false and privileged is true: a privileged container can always escalate, and Kubernetes '
      + 'refuses the contradiction',
    'Remove privileged (the secure choice), or allowPrivilegeEscalation: false if the container must be privileged.');
  }
  const capabilities = context.capabilities;
  if (isRecord(capabilities) && Array.isArray(capabilities.add) && capabilities.add.includes('CAP_SYS_ADMIN')) {
    sink.add('', 'allowPrivilegeEscalation is false and capabilities.add has CAP_SYS_ADMIN: Kubernetes refuses the contradiction',
      'Remove CAP_SYS_ADMIN from capabilities.add (the secure choice), or allowPrivilegeEscalation: false.');
  }
}

/**
 * The types holding a LabelSelector that their kinds' validation checks with ValidateLabelSelector on create (apps', batch's,
 * networking's, policy's and core's pod affinity and topology spread validation; admissionregistration's webhooks). A selector
 * elsewhere (a metric's, a CSIStorageCapacity's, a ClusterRole's aggregation rule's) is left alone. */
const SELECTOR_HOLDERS = new Set(['V1DeploymentSpec', 'V1ReplicaSetSpec', 'V1DaemonSetSpec', 'V1StatefulSetSpec', 'V1JobSpec',
  'V1NetworkPolicySpec', 'V1NetworkPolicyPeer', 'V1PodDisruptionBudgetSpec', 'V1PodAffinityTerm', 'V1TopologySpreadConstraint',
  'V1ValidatingWebhook', 'V1MutatingWebhook', 'V1AggregationRule']);

const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

// apimachinery's ValidateLabelSelector (pkg/apis/meta/v1/validation): matchLabels as ValidateLabels checks labels, and each
// matchExpression as ValidateLabelSelectorRequirement does: In and NotIn with values, Exists and DoesNotExist without, no
// other operator, the key a qualified name and each value a label value (AllowInvalidLabelValueInSelector is false on create).
function validateLabelSelector(selector: { readonly [field: string]: unknown }, sink: ProblemSink, holder: string | undefined): void {
  if (holder !== undefined && SELECTOR_HOLDERS.has(holder)) checkSelector(selector, sink);
}

/** A selector's problems, as ValidateLabelSelector finds them (wherever it is). */
function checkSelector(selector: { readonly [field: string]: unknown }, sink: ProblemSink): void {
  validateLabels(selector.matchLabels, 'matchLabels', sink);
  const expressions = selector.matchExpressions;
  if (!Array.isArray(expressions)) return;
  for (let i = 0; i < expressions.length; i++) {
    const e: unknown = expressions[i];
    if (!isRecord(e)) continue;
    const at = `.matchExpressions[${i}]`;
    const operator = e.operator ?? '';
    const values = Array.isArray(e.values) ? e.values as unknown[] : [];
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) {
        sink.add(`${at}.values`, `operator ${operator} needs values: Kubernetes requires them "when \`operator\` is 'In' or 'NotIn'"`,
          'List the label values to match under values (or use operator Exists).');
      }
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) {
        sink.add(`${at}.values`, `operator ${operator} takes no values: Kubernetes forbids them "when \`operator\` is 'Exists' or 'DoesNotExist'"`,
          'Remove values (or use operator In to match them).');
      }
    } else if (isString(operator)) {
      sink.add(`${at}.operator`, `operator ${shown(operator)} is not a valid selector operator: it is ${SELECTOR_OPERATORS.join(', ')} `
        + '(case-sensitive)', `Set operator to one of ${SELECTOR_OPERATORS.join(', ')}.`);
    }
    const k = e.key ?? '';
    if (isString(k) && !passes(LABEL_KEYS, k, isQualifiedName)) {
      sink.add(`${at}.key`, `label key ${shown(k)} is not a qualified name: a label key is ${QUALIFIED_NAME}`,
        'Write the label key as the pods\' labels have it (e.g. "app.kubernetes.io/name").');
    }
    for (let j = 0; j < values.length; j++) {
      const v: unknown = values[j];
      if (isString(v) && !passes(LABEL_VALUES, v, isLabelValue)) {
        sink.add(`${at}.values[${j}]`, `label value ${shown(v)} is not a valid label value: a label value is ${LABEL_VALUE}`,
          'Write the value as the pods\' labels have it.');
      }
    }
  }
}

// apimachinery's IsConfigMapKey (pkg/util/validation): a ConfigMap's or Secret's key names a file, so at most 253 of
// [-._a-zA-Z0-9], and not ".", "..", or starting with "..".
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** Why `k` is no ConfigMap or Secret key, or undefined. */
function configMapKeyProblem(k: string): string | undefined {
  if (k.length > 253) return `it is ${k.length} characters long; a key is at most 253`;
  if (!CONFIG_MAP_KEY.test(k)) return 'a key consists of letters, digits, "-", "_" or "." only (e.g. "key.name", "KEY_NAME", "key-name")';
  if (k === '.' || k === '..') return `a key must not be "${k}"`;
  if (k.startsWith('..')) return 'a key must not start with ".."';
  return undefined;
}

const KEY_FIX = 'Rename the key: letters, digits, "-", "_" and "." (e.g. "app.properties"); it is the file name in a mounted volume.';

/** core.MaxSecretSize: what a ConfigMap's or a Secret's values may take in all, in bytes. */
const MAX_DATA_BYTES = 1024 * 1024;

/** The bytes `value` (base64, as the walk admits it) decodes to. */
function base64Bytes(value: string): number {
  const t = value.includes('\n') || value.includes('\r') ? value.replace(/[\r\n]/g, '') : value;
  const padding = t.endsWith('==') ? 2 : t.endsWith('=') ? 1 : 0;
  return (t.length / 4) * 3 - padding;
}

/** The keys of `map` (a ConfigMap's or a Secret's `field`) as IsConfigMapKey checks them. */
function validateKeys(map: unknown, field: string, sink: ProblemSink): void {
  if (!isRecord(map)) return;
  for (const k in map) {
    const problem = configMapKeyProblem(k);
    if (problem !== undefined) sink.add(`.${field}${key(k)}`, `key ${shown(k)} is not a valid key: ${problem}`, KEY_FIX);
  }
}

/** Go's len of a string value, or of what a base64 one decodes to (0 for a value of another type: the walk reports it). */
function valueBytes(value: unknown, base64: boolean): number {
  if (!isString(value)) return 0;
  if (base64) return base64Bytes(value);
  return value.length * 3 > MAX_DATA_BYTES / 4 ? Buffer.byteLength(value, 'utf8') : value.length;
}

// ValidateConfigMap: data's and binaryData's keys, none in both, and at most core.MaxSecretSize bytes of values in all.
function validateConfigMap(map: { readonly [field: string]: unknown }, sink: ProblemSink): void {
  const data = isRecord(map.data) ? map.data : {};
  const binary = isRecord(map.binaryData) ? map.binaryData : {};
  validateKeys(data, 'data', sink);
  validateKeys(binary, 'binaryData', sink);
  let bytes = 0;
  for (const k in data) bytes += valueBytes(data[k], false);
  for (const k in binary) {
    bytes += valueBytes(binary[k], true);
    if (Object.prototype.hasOwnProperty.call(data, k)) {
      sink.add(`.binaryData${key(k)}`, `key ${shown(k)} is in both data and binaryData: Kubernetes refuses a duplicate key`,
        'Keep the key in one of data (text) and binaryData (base64).');
    }
  }
  if (bytes > MAX_DATA_BYTES) {
    sink.add('', `the ConfigMap's values take ${bytes} bytes; Kubernetes allows at most ${MAX_DATA_BYTES}`,
      'Split the data over several ConfigMaps, or mount it from an image or a volume.');
  }
}

/**
 * The keys each Secret type needs (ValidateSecret): `all` of them, or at least one of them when `any`; `nonEmpty` when the
 * value may not be empty (ssh-auth's key).
 */
interface SecretTypeKeys {
  readonly keys: readonly string[];
  readonly any?: boolean;
  readonly nonEmpty?: boolean;
}
const SECRET_TYPE_KEYS: { readonly [type: string]: SecretTypeKeys | undefined } =
  Object.assign(Object.create(null), {
    'kubernetes.io/dockercfg': { keys: ['.dockercfg'] },
    'kubernetes.io/dockerconfigjson': { keys: ['.dockerconfigjson'] },
    'kubernetes.io/basic-auth': { keys: ['username', 'password'], any: true },
    'kubernetes.io/ssh-auth': { keys: ['ssh-privatekey'], nonEmpty: true },
    'kubernetes.io/tls': { keys: ['tls.crt', 'tls.key'] },
  });

/** A Secret's values as the API server holds them: data's decoded, then stringData's, which replace them (its v1 conversion). */
function secretValues(secret: { readonly [field: string]: unknown }): Map<string, { readonly text: string; readonly base64: boolean }> {
  const values = new Map<string, { readonly text: string; readonly base64: boolean }>();
  for (const [field, base64] of [['data', true], ['stringData', false]] as const) {
    const map = secret[field];
    if (!isRecord(map)) continue;
    for (const k in map) {
      const v = map[k];
      values.set(k, { text: isString(v) ? v : '', base64 });
    }
  }
  return values;
}

// ValidateSecret: data's keys (stringData's are data's after conversion), at most core.MaxSecretSize bytes of values, and the
// keys its type needs: a service account token's annotation, a docker config's key holding a JSON object, basic-auth's
// username or password, ssh-auth's key, tls's certificate and key.
function validateSecret(secret: { readonly [field: string]: unknown }, sink: ProblemSink): void {
  validateKeys(secret.data, 'data', sink);
  validateKeys(secret.stringData, 'stringData', sink);
  const values = secretValues(secret);
  let bytes = 0;
  for (const v of values.values()) bytes += valueBytes(v.text, v.base64);
  if (bytes > MAX_DATA_BYTES) {
    sink.add('.data', `the Secret's values take ${bytes} bytes; Kubernetes allows at most ${MAX_DATA_BYTES}`, 'Split the Secret into several.');
  }
  const type = secret.type;
  if (!isString(type)) return;
  if (type === 'kubernetes.io/service-account-token') {
    const annotations = isRecord(secret.metadata) ? secret.metadata.annotations : undefined;
    const name = isRecord(annotations) ? annotations['kubernetes.io/service-account.name'] : undefined;
    if (!isString(name) || name === '') {
      sink.add('.metadata.annotations["kubernetes.io/service-account.name"]', 'a Secret of type kubernetes.io/service-account-token needs '
        + 'the annotation kubernetes.io/service-account.name naming its service account', 'Add the annotation with the service account\'s name.');
    }
    return;
  }
  const needs = SECRET_TYPE_KEYS[type];
  if (needs === undefined) return;
  const missing = needs.keys.filter(k => !values.has(k) || (needs.nonEmpty === true && valueBytes(values.get(k)!.text, values.get(k)!.base64) === 0));
  if (needs.any === true ? missing.length === needs.keys.length : missing.length > 0) {
    for (const k of missing) {
      const or = needs.any === true ? ` (or ${needs.keys.filter(o => o !== k).join(', ')})` : '';
      sink.add(`.data${key(k)}`, `a Secret of type ${type} needs the key ${shown(k)}${or}`,
        `Add ${k} under data (base64) or stringData.`);
    }
    return;
  }
  if (type === 'kubernetes.io/dockercfg' || type === 'kubernetes.io/dockerconfigjson') {
    const k = needs.keys[0];
    const v = values.get(k)!;
    const problem = jsonObjectProblem(v.base64 ? Buffer.from(v.text, 'base64').toString('utf8') : v.text);
    if (problem !== undefined) {
      sink.add(`.data${key(k)}`, `${k} is not a JSON object (${problem}): Kubernetes reads it as one`,
        `Write ${k} as the JSON docker writes (\`kubectl create secret docker-registry\` makes it).`);
    }
  }
}

/** Why `text` does not decode into a Go map[string]interface{} (encoding/json), or undefined: a JSON object or null. */
function jsonObjectProblem(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'it is not JSON';
  }
  return value === null || isRecord(value) ? undefined : `it is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`;
}

/** Whether a Job's selector is the user's (spec.manualSelector true) rather than generated with its pods' labels. */
function isManualSelector(spec: unknown): boolean {
  return isRecord(spec) && spec.manualSelector === true;
}

// ValidateJob (pkg/apis/batch/validation) after the Job strategy's PrepareForCreate: unless spec.manualSelector is true, the
// pod template is labelled job-name and batch.kubernetes.io/job-name with the Job's name, so the name must be a label value
// (at most 63 characters) for ValidatePodTemplateSpec's ValidateLabels; an Indexed Job's last pod's hostname, the name and
// "-<completions - 1>", must be a DNS label.
function validateJob(job: { readonly [field: string]: unknown }, sink: ProblemSink): void {
  const name = isRecord(job.metadata) ? job.metadata.name : undefined;
  if (!isString(name) || name === '') return;
  const spec = job.spec;
  if (!isManualSelector(spec) && name.length > 63) {
    sink.add('.spec.template.metadata.labels', `the Job's name ${shown(name)} is ${name.length} characters long: Kubernetes labels the `
      + 'Job\'s pods job-name and batch.kubernetes.io/job-name with it, and a label value is at most 63 characters',
    'Shorten the Job\'s name to 63 characters.');
    return;
  }
  if (isRecord(spec) && spec.completionMode === 'Indexed' && typeof spec.completions === 'number' && spec.completions > 0) {
    const hostname = `${name}-${spec.completions - 1}`;
    if (!LABEL.passes(hostname, false)) {
      sink.add('.metadata.name', `an Indexed Job's pods are named ${shown(`${name}-<index>`)} and the last one, ${shown(hostname)}, is no DNS `
        + 'label (at most 63 lower-case letters, digits and "-"): Kubernetes refuses the Job', 'Shorten the Job\'s name.');
    }
  }
}

/** The validations by schema type (a table without a prototype: a type named `constructor` has none). */
export const VALIDATIONS: { readonly [type: string]: Validation | undefined } = Object.assign(Object.create(null), {
  V1ObjectMeta: validateObjectMeta,
  V1PodSpec: validatePodSpec,
  V1PodSecurityContext: validatePodSecurityContext,
  V1SecurityContext: validateSecurityContext,
  V1SeccompProfile: validateSeccompProfile,
  V1AppArmorProfile: validateAppArmorProfile,
  V1LabelSelector: validateLabelSelector,
  V1ConfigMap: validateConfigMap,
  V1Secret: validateSecret,
  V1Job: validateJob,
});
