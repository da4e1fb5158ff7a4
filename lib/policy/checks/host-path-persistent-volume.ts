// No hostPath reached through a PersistentVolumeClaim (NIST SP 800-190 4.5.5, CIS 5.2.12).
// Reads: spec.volumes[*].persistentVolumeClaim.claimName, a StatefulSet's
// spec.volumeClaimTemplates[*].metadata.name; among the objects checked, the
// PersistentVolumeClaim of that name in the pod's namespace (spec.volumeName), and every
// PersistentVolume (spec.hostPath, spec.claimRef.{namespace,name}).
// Allowed: claims bound to no PersistentVolume with spec.hostPath. A claim binds the volume it
// names (spec.volumeName) and a volume pre-bound to it (claimRef); a StatefulSet's claims are
// "<template>-<statefulset>-<ordinal>". Pod Security Admission never sees the volume behind a
// claim, so this is the hostPath volume the host-path-volume rule cannot catch.
import { Check, CheckContext, ObjectIndex, Violation } from '../check';
import { PodView } from '../pod-view';
import { named, shown } from './shown';

interface HostPathVolume {
  readonly name: string;
  /** As written (a string, to the API server). */
  readonly path: unknown;
  readonly claimNamespace?: string;
  readonly claimName?: string;
}

function hostPathVolumes(index: ObjectIndex): Map<string, HostPathVolume> {
  const byName = new Map<string, HostPathVolume>();
  for (const pv of index.ofKind('PersistentVolume')) {
    const hostPath = pv.spec?.hostPath;
    if (!hostPath || typeof hostPath !== 'object' || typeof pv.metadata?.name !== 'string') continue;
    const ref = pv.spec.claimRef;
    byName.set(pv.metadata.name, { name: pv.metadata.name, path: hostPath.path, claimNamespace: ref?.namespace, claimName: ref?.name });
  }
  return byName;
}

/** The hostPath PersistentVolume a claim called `claim` in `namespace` binds, if any. */
function boundHostPath(
  ctx: CheckContext, namespace: string | undefined, matches: (claim: string) => boolean, claimName?: string,
): HostPathVolume | undefined {
  const volumes = ctx.index.cached('host-path-volumes', undefined, hostPathVolumes);
  if (volumes.size === 0) return undefined;
  if (claimName !== undefined) {
    const volumeName = ctx.index.get('PersistentVolumeClaim', namespace, claimName)?.spec?.volumeName;
    const byName = typeof volumeName === 'string' ? volumes.get(volumeName) : undefined;
    if (byName) return byName;
  }
  for (const v of volumes.values()) {
    // A pod that names no namespace (Helm output, say) lands where it is applied: any namespace may be it.
    const sameNamespace = namespace === undefined || v.claimNamespace === undefined || v.claimNamespace === namespace;
    if (sameNamespace && typeof v.claimName === 'string' && matches(v.claimName)) return v;
  }
  return undefined;
}

/**
 * The hostPath PersistentVolume the claim called `claim` binds (a function of its own: a closure in `evaluatePod`'s loop
 * would make every pass of it allocate, claim or not).
 */
function claimedHostPath(ctx: CheckContext, namespace: string | undefined, claim: string): HostPathVolume | undefined {
  return boundHostPath(ctx, namespace, name => name === claim, claim);
}

export class HostPathPersistentVolumeCheck extends Check {
  public readonly info = {
    id: 'host-path-persistent-volume',
    title: 'No hostPath PersistentVolume behind a claim',
    description: 'A PersistentVolume of type hostPath gives the pod that claims it the node\'s filesystem, as a hostPath volume would, but '
        + 'past Pod Security Admission, which sees only the claim.',
    remediation: 'Back the claim with a storage class of network or local volumes, not hostPath.',
    mapping: { nist800190: ['4.5.5'], cis: ['5.2.12'], step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, manifest: any, ctx: CheckContext, out: Violation[]): void {
    const namespace = manifest.metadata?.namespace;
    const volumes: unknown = pod.spec.volumes;
    for (let i = 0; Array.isArray(volumes) && i < volumes.length; i++) {
      const claim = volumes[i]?.persistentVolumeClaim?.claimName;
      if (typeof claim !== 'string') continue;
      const pv = claimedHostPath(ctx, namespace, claim);
      if (pv) {
        out.push({ path: `${pod.specPath}.volumes[${i}].persistentVolumeClaim.claimName`, message: `volume ${shown(volumes[i].name)} claims `
            + `${shown(claim)}, bound to PersistentVolume ${shown(pv.name)} of type hostPath (${named(pv.path)}); `
            + 'use a claim of another storage class' });
      }
    }
    if (manifest.kind === 'StatefulSet') claimTemplateFindings(manifest, ctx, namespace, out);
  }
}

/** What a StatefulSet's volume claim templates bind: its claims are named `<template>-<set>-<ordinal>`. */
function claimTemplateFindings(manifest: any, ctx: CheckContext, namespace: string | undefined, out: Violation[]): void {
  const templates = manifest.spec?.volumeClaimTemplates;
  if (!Array.isArray(templates)) return;
  templates.forEach((t: any, i: number) => {
    const prefix = `${t?.metadata?.name}-${manifest.metadata?.name}-`;
    const pv = boundHostPath(ctx, namespace, name => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length)));
    const volumeName = t?.spec?.volumeName;
    const byName = typeof volumeName === 'string' ? ctx.index.cached('host-path-volumes', undefined, hostPathVolumes).get(volumeName) : undefined;
    const found = byName ?? pv;
    if (found) {
      out.push({ path: `spec.volumeClaimTemplates[${i}]`, message: `volume claim template ${shown(t.metadata.name)} binds PersistentVolume `
          + `${shown(found.name)} of type hostPath (${named(found.path)}); use a claim of another storage class` });
    }
  });
}
