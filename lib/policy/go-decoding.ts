// How the API server reads a field a manifest sets to null, so that a PSS check judges what Pod Security
// Admission judges. The server decodes JSON (YAML is first turned into JSON by sigs.k8s.io/yaml) with
// sigs.k8s.io/json, which keeps Go's encoding/json rule: null leaves a pointer, slice, map or struct field
// nil, as if it were absent, and leaves a plain string, bool or number field its zero value ("", false, 0),
// which Go cannot tell from absent either. PSA reads the decoded struct, so a check reads each field through
// the function for its Go type in k8s.io/api/core/v1 types.go. A null map value or list element is the zero
// value of its type too: a null annotation is "", a null entry of capabilities.add (a []Capability) is "".
// A test against a value other than the zero value (`=== true` for a *bool or a bool, `=== 0` for a
// *int64, a name looked up in a set without "") needs neither: null fails it as nil and "" do.

/** Whether a pointer, slice, map or struct field (`*bool`, `*ProcMountType`, `[]Ulimit`, `*AppArmorProfile`) is nil: absent or null. */
export function isNil(field: unknown): field is null | undefined {
  return field === undefined || field === null;
}

/** The value Go reads for a plain string field (`string`, `AppArmorProfileType`, a map value, a list element): "" when absent or null. */
export function goString<T>(field: T | null | undefined): T | '' {
  return field ?? '';
}

/**
 * The value Go reads for a list element of a struct type (`[]NetworkPolicyIngressRule`, `[]NetworkPolicyPort`,
 * `[]metav1.LabelSelector`): the zero struct, `{}`, when null. An empty ingress rule admits everything and an empty
 * selector selects everything, so reading a null element as nothing would narrow what Kubernetes opens.
 */
export function goStruct<T>(element: T | null): T | Record<string, never> {
  return element ?? {};
}

/** The value Go reads for a plain number field (`int32` hostPort): 0 when absent or null. */
export function goNumber<T>(field: T | null | undefined): T | 0 {
  return field ?? 0;
}
