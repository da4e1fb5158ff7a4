// What the API server's validation refuses in a value that decodes (structure.ts's walk decides what decodes), where users'
// mistakes are: a name the object's kind does not take, a label that is no label. Each rule is Kubernetes' own (apimachinery's
// ValidateObjectMetaAccessor, ValidateLabels, ValidateAnnotations, ValidateFinalizerName and its Name* functions, and each
// kind's name rule), keyed by the schema type it applies to and run where the walk meets a value of that type, so only
// objects that set the field pay for it.
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

const SUBDOMAIN: NameRule = {
  passes: (name, prefix) => masked(name, prefix).length <= 253 && DNS_SUBDOMAIN.test(masked(name, prefix)),
  must: 'a DNS subdomain: at most 253 lower-case letters, digits, "-" and ".", starting and ending with a letter or digit',
};
const LABEL: NameRule = {
  passes: (name, prefix) => masked(name, prefix).length <= 63 && DNS_LABEL.test(masked(name, prefix)),
  must: 'a DNS label: at most 63 lower-case letters, digits and "-", starting and ending with a letter or digit',
};
const LABEL_1035: NameRule = {
  passes: (name, prefix) => masked(name, prefix).length <= 63 && DNS_1035_LABEL.test(masked(name, prefix)),
  must: 'a DNS-1035 label: at most 63 lower-case letters, digits and "-", starting with a letter and ending with a letter or digit',
};
// What every object's name must be, whatever its kind's own rule (BeforeCreate's ValidateObjectMetaAccessor with
// path.ValidatePathSegmentName): a prefix only of what it may not contain.
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

/** A kind's name as messages say it: V1Service is a Service, CustomResource a custom resource. */
function kindOf(holder: string): string {
  return holder === CUSTOM_RESOURCE ? 'custom resource' : holder.replace(/^V\d+(?:(?:alpha|beta)\d+)?/, '');
}

function validateObjectMeta(meta: { readonly [field: string]: unknown }, sink: ProblemSink, holder: string | undefined, ofObject: boolean): void {
  // An object's own metadata (a pod template's has no name to check).
  const rule = ofObject && holder !== undefined ? NAME_RULES[holder] ?? PATH_SEGMENT : undefined;
  if (rule !== undefined) {
    const kind = kindOf(holder!);
    const name = meta.name;
    if (isString(name) && name !== '') {
      if (!rule.passes(name, false) || !PATH_SEGMENT.passes(name, false)) {
        sink.add('.name', `name ${shown(name)} is not a valid ${kind} name: it must be ${rule.must}`,
          'Rename the object as the rule says (e.g. "web-api": lower case, "-" for "_" and spaces).');
      } else if (rule.most !== undefined && name.length > rule.most) {
        sink.add('.name', `name ${shown(name)} is ${name.length} characters long; a ${kind}'s name is at most ${rule.most}`,
          `Shorten the name to ${rule.most} characters.`);
      }
    }
    const generateName = meta.generateName;
    if (isString(generateName) && generateName !== '' && (!rule.passes(generateName, true) || !PATH_SEGMENT.passes(generateName, true))) {
      sink.add('.generateName', `generateName ${shown(generateName)} does not start a valid ${kind} name: the name made of it must be `
        + rule.must, 'Write generateName as the rule says, ending in "-" (e.g. "web-").');
    }
  }
  const labels = meta.labels;
  if (isRecord(labels)) {
    for (const k in labels) {
      if (labelKeyProblem(k) !== undefined) {
        sink.add(`.labels${key(k)}`, `label key ${shown(k)} is not a qualified name: a label key is ${QUALIFIED_NAME}`,
          'Rename the label key (e.g. "app.kubernetes.io/component").');
      }
      const v = labels[k];
      if (isString(v) && labelValueProblem(v) !== undefined) {
        sink.add(`.labels${key(k)}`, `label value ${shown(v)} is not a valid label value: a label value is ${LABEL_VALUE}`,
          'Shorten the value or replace its other characters with "-" (free text belongs in an annotation).');
      }
    }
  }
  const annotations = meta.annotations;
  if (isRecord(annotations)) {
    let bytes = 0;
    for (const k in annotations) {
      // Annotation keys are qualified names compared in lower case (ValidateAnnotations lower-cases them first).
      if (labelKeyProblem(k.toLowerCase()) !== undefined) {
        sink.add(`.annotations${key(k)}`, `annotation key ${shown(k)} is not a qualified name: an annotation key is ${QUALIFIED_NAME}`,
          'Rename the annotation key (e.g. "example.com/note").');
      }
      const v = annotations[k];
      bytes += Buffer.byteLength(k, 'utf8') + (isString(v) ? Buffer.byteLength(v, 'utf8') : 0);
    }
    if (bytes > ANNOTATIONS_BYTES) {
      sink.add('.annotations', `annotations take ${bytes} bytes (keys and values); Kubernetes allows at most ${ANNOTATIONS_BYTES}`,
        'Move large values out of the annotations (a ConfigMap, or the object itself).');
    }
  }
  const finalizers = meta.finalizers;
  if (Array.isArray(finalizers)) {
    finalizers.forEach((f: unknown, i) => {
      if (isString(f) && labelKeyProblem(f) !== undefined) {
        sink.add(`.finalizers[${i}]`, `finalizer ${shown(f)} is not a qualified name: a finalizer is ${QUALIFIED_NAME}`,
          'Name the finalizer as its controller does (e.g. "example.com/cleanup").');
      }
    });
  }
}

/** The validations by schema type (a table without a prototype: a type named `constructor` has none). */
export const VALIDATIONS: { readonly [type: string]: Validation | undefined } = Object.assign(Object.create(null), {
  V1ObjectMeta: validateObjectMeta,
});
