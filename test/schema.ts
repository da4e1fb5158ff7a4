// Validates manifests against the upstream schemas: kubernetes-models for Kubernetes kinds,
// @kubernetes-models/external-secrets for ExternalSecret, @kubernetes-models/kyverno for
// Kyverno's ClusterPolicy. A custom resource without an
// upstream model package is listed in NO_UPSTREAM_MODEL and covered by its own structural
// tests instead (test/secrets.test.ts, test/scheduling.test.ts).
export const NO_UPSTREAM_MODEL = new Set(['secrets-store.csi.x-k8s.io/v1 SecretProviderClass', 'karpenter.sh/v1 NodePool']);

function modelFor(apiVersion: string, kind: string): any {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.split('/').pop()!;
  if (group === 'external-secrets.io') {
    // The package's newest schema is v1beta1; the v1 ExternalSecret keeps every field we emit.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@kubernetes-models/external-secrets/external-secrets.io/v1beta1')[kind];
  }
  if (group === 'kyverno.io') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`@kubernetes-models/kyverno/kyverno.io/${version}`)[kind];
  }
  if (group === 'admissionregistration.k8s.io' && version === 'v1beta1' && kind.startsWith('ValidatingAdmissionPolicy')) {
    // kubernetes-models 4.x no longer ships the v1beta1 policy; its v1 schema has every field we emit.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('kubernetes-models/admissionregistration.k8s.io/v1')[kind];
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`)[kind];
}

export function schemaErrors(manifest: any): string | undefined {
  if (NO_UPSTREAM_MODEL.has(`${manifest.apiVersion} ${manifest.kind}`)) return undefined;
  let Model: any;
  try {
    Model = modelFor(manifest.apiVersion, manifest.kind);
  } catch {
    Model = undefined;
  }
  if (!Model) return `no upstream schema for ${manifest.apiVersion} ${manifest.kind}`;
  try {
    new Model({ ...manifest, apiVersion: Model.apiVersion ?? manifest.apiVersion }).validate();
    return undefined;
  } catch (e) {
    return `${manifest.kind} ${manifest.metadata?.name}: ${(e as Error).message}`;
  }
}
