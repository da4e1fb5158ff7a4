// Validates manifests against the upstream Kubernetes OpenAPI schema (kubernetes-models).
import { apiGroup } from '../lib/policy/pod-view';

export function schemaErrors(manifest: any): string | undefined {
  const [group, version] = manifest.apiVersion.includes('/') ? [apiGroup(manifest.apiVersion), manifest.apiVersion.split('/')[1]] : ['', manifest.apiVersion];
  const modulePath = group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const models = require(modulePath);
  const Model = models[manifest.kind];
  if (!Model) return `no upstream schema for ${manifest.apiVersion} ${manifest.kind}`;
  try {
    new Model(manifest).validate();
    return undefined;
  } catch (e) {
    return `${manifest.kind} ${manifest.metadata?.name}: ${(e as Error).message}`;
  }
}
