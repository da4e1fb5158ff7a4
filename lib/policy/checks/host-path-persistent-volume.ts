// No node directory reached through a PersistentVolumeClaim (NIST SP 800-190 4.5.5, CIS 5.2.12).
// Reads: spec.volumes[*].persistentVolumeClaim.claimName and spec.volumes[*].ephemeral.volumeClaimTemplate,
// a StatefulSet's spec.volumeClaimTemplates; among the objects checked (of the core API group), the
// PersistentVolumeClaim of that name in the pod's namespace (metadata.annotations
// ["volume.beta.kubernetes.io/storage-class"], spec.{volumeName,storageClassName,selector,accessModes,
// volumeMode,resources.requests.storage}), and every PersistentVolume of type hostPath or local (spec.hostPath,
// spec.local, spec.claimRef.{namespace,name}, spec.storageClassName and the same annotation, metadata.labels,
// spec.{accessModes,volumeMode,capacity.storage}).
// Allowed: claims that cannot bind a PersistentVolume of type hostPath or local. A hostPath or local
// PersistentVolume is a directory of the node, mounted into the pod past Pod Security Admission, which sees only
// the claim: this is the hostPath volume the host-path-volume rule cannot catch.
// A claim binds as the PersistentVolume controller binds it (pkg/controller/volume/persistentvolume): the volume
// it names (spec.volumeName) and no other; else a volume pre-bound to it (claimRef: namespace and name; a
// StatefulSet's claims are "<template>-<statefulset>-<ordinal>", an ephemeral volume's "<pod>-<volume>"); else
// any volume not pre-bound to another claim whose storage class is the claim's (the beta annotation first, as
// GetPersistentVolumeClaimClass and GetPersistentVolumeClass read them; "" is a class of its own: no class; a
// claim that names none gets the cluster's default class, unknown here, so it may bind any class), whose labels
// its selector matches, with every access mode it asks for, its volume mode, and at least the storage it
// requests (an amount that is not a quantity does not rule a volume out). Phase, node affinity and binding mode
// are not read: a volume that could bind counts.
import { parseQuantity } from '../../vocab/quantity';
import { Check, CheckContext, ObjectIndex, Violation } from '../check';
import { goString, isNil } from '../go-decoding';
import { selectorMatches } from '../label-selector';
import { PodView } from '../pod-view';
import { named, shown } from './shown';

const CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

/** A PersistentVolume that is a directory of the node. */
interface NodeVolume {
  readonly name: string;
  readonly type: 'hostPath' | 'local';
  /** As written (a string, to the API server). */
  readonly path: unknown;
  readonly claimNamespace?: unknown;
  readonly claimName?: unknown;
  readonly manifest: any;
}

interface NodeVolumes {
  readonly byName: ReadonlyMap<string, NodeVolume>;
  readonly all: readonly NodeVolume[];
}

function nodeVolumes(index: ObjectIndex): NodeVolumes {
  const byName = new Map<string, NodeVolume>();
  for (const pv of index.ofKind('PersistentVolume')) {
    const spec = pv.spec;
    const type = isSource(spec?.hostPath) ? 'hostPath' : isSource(spec?.local) ? 'local' : undefined;
    if (!type || typeof pv.metadata?.name !== 'string') continue;
    const ref = isNil(spec.claimRef) ? undefined : spec.claimRef;
    byName.set(pv.metadata.name, { name: pv.metadata.name, type, path: spec[type].path, claimNamespace: ref?.namespace,
      claimName: ref?.name, manifest: pv });
  }
  return { byName, all: [...byName.values()] };
}

function isSource(source: unknown): boolean {
  return !!source && typeof source === 'object';
}

/** The value of annotation `key`, undefined when absent ("" for null, as Go reads a map value). */
function annotation(metadata: any, key: string): unknown {
  const annotations = metadata?.annotations;
  if (!annotations || typeof annotations !== 'object' || !Object.prototype.hasOwnProperty.call(annotations, key)) return undefined;
  return goString(annotations[key]);
}

/** A claim a pod uses: where it is, what names it has, and its metadata and spec where known. */
interface Claim {
  readonly namespace: string | undefined;
  /** Whether a claimRef's name names this claim. */
  readonly named: (name: string) => boolean;
  readonly metadata?: any;
  readonly spec?: any;
}

/** The storage class a claim asks for, or undefined where it names none (the cluster's default class, unknown here). */
function claimClass(claim: Claim): unknown {
  const annotated = annotation(claim.metadata, CLASS_ANNOTATION);
  if (annotated !== undefined) return annotated;
  return isNil(claim.spec?.storageClassName) ? undefined : claim.spec.storageClassName;
}

function volumeClass(pv: any): unknown {
  return annotation(pv.metadata, CLASS_ANNOTATION) ?? goString(pv.spec.storageClassName);
}

/** Whether the volume controller could bind `v`, pre-bound to no claim, to `claim` (whose spec is known). */
function fits(v: NodeVolume, claim: Claim): boolean {
  const spec = claim.spec;
  const pv = v.manifest.spec;
  const wanted = claimClass(claim);
  if (wanted !== undefined && wanted !== volumeClass(v.manifest)) return false;
  if (!isNil(spec.selector) && !selectorMatches(spec.selector, v.manifest.metadata?.labels)) return false;
  if ((goString(spec.volumeMode) || 'Filesystem') !== (goString(pv.volumeMode) || 'Filesystem')) return false;
  const modes = spec.accessModes;
  if (Array.isArray(modes) && Array.isArray(pv.accessModes) && !modes.every((m: unknown) => pv.accessModes.includes(m))) return false;
  const requested = spec.resources?.requests?.storage;
  const capacity = pv.capacity?.storage;
  const need = typeof requested === 'string' ? parseQuantity(requested) : typeof requested === 'number' ? requested : undefined;
  const have = typeof capacity === 'string' ? parseQuantity(capacity) : typeof capacity === 'number' ? capacity : undefined;
  return need === undefined || have === undefined || have >= need;
}

function sameNamespace(namespace: string | undefined, v: NodeVolume): boolean {
  // A pod that names no namespace (Helm output, say) lands where it is applied: any namespace may be it.
  return namespace === undefined || v.claimNamespace === undefined || v.claimNamespace === namespace;
}

/** The node volume `claim` binds, and how: by name, pre-bound to it, or as one it may bind. */
function boundNodeVolume(volumes: NodeVolumes, claim: Claim): { volume: NodeVolume; how: 'named' | 'pre-bound' | 'fits' } | undefined {
  const volumeName = claim.spec?.volumeName;
  if (typeof volumeName === 'string' && volumeName !== '') {
    const named = volumes.byName.get(volumeName);
    return named ? { volume: named, how: 'named' } : undefined;
  }
  for (const v of volumes.all) {
    if (typeof v.claimName === 'string' && sameNamespace(claim.namespace, v) && claim.named(v.claimName)) return { volume: v, how: 'pre-bound' };
  }
  if (!claim.spec || typeof claim.spec !== 'object') return undefined;
  for (const v of volumes.all) {
    if (isNil(v.claimName) && fits(v, claim)) return { volume: v, how: 'fits' };
  }
  return undefined;
}

/**
 * How a finding says what the claim binds: `bound` ("bound to", "binds") for a volume it names or that is
 * pre-bound to it, `may` ("which can bind", "can bind") for one it may bind.
 */
function binding(found: { volume: NodeVolume; how: 'named' | 'pre-bound' | 'fits' }, bound: string, may: string): string {
  const { volume, how } = found;
  const what = `PersistentVolume ${shown(volume.name)} of type ${volume.type} (${named(volume.path)})`;
  if (how !== 'fits') return `${bound} ${what}`;
  const wanted = volumeClass(volume.manifest);
  return `${may} ${what}, pre-bound to no claim, whose storage class (${wanted === '' ? 'none' : shown(wanted)}), labels, access modes `
    + 'and capacity fit the claim';
}

const REMEDIATION = 'use a claim of another storage class';

export class HostPathPersistentVolumeCheck extends Check {
  public readonly info = {
    id: 'host-path-persistent-volume',
    title: 'No hostPath PersistentVolume behind a claim',
    description: 'A PersistentVolume of type hostPath (or local) gives the pod that claims it the node\'s filesystem, as a hostPath volume '
        + 'would, but past Pod Security Admission, which sees only the claim.',
    remediation: 'Back the claim with a storage class of network volumes, not hostPath or local ones.',
    mapping: { nist800190: ['4.5.5'], cis: ['5.2.12'], step: 4 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, manifest: any, ctx: CheckContext, out: Violation[]): void {
    const volumes = ctx.index.cached('node-volumes', undefined, nodeVolumes);
    if (volumes.all.length === 0) return;
    const namespace = manifest.metadata?.namespace;
    const podVolumes: unknown = pod.spec.volumes;
    for (let i = 0; Array.isArray(podVolumes) && i < podVolumes.length; i++) {
      const volume = podVolumes[i];
      const claimName = volume?.persistentVolumeClaim?.claimName;
      if (typeof claimName === 'string') {
        const pvc = ctx.index.get('PersistentVolumeClaim', namespace, claimName);
        const found = boundNodeVolume(volumes, { namespace, named: name => name === claimName, metadata: pvc?.metadata, spec: pvc?.spec });
        if (found) {
          out.push({ path: `${pod.specPath}.volumes[${i}].persistentVolumeClaim.claimName`, message: `volume ${shown(volume.name)} claims `
              + `${shown(claimName)}, ${binding(found, 'bound to', 'which can bind')}; ${REMEDIATION}` });
        }
      }
      const template = volume?.ephemeral?.volumeClaimTemplate;
      if (template && typeof template === 'object') {
        // The claim of an ephemeral volume is "<pod>-<volume>", the pod's name made when it is created.
        const suffix = `-${volume.name}`;
        const found = boundNodeVolume(volumes, { namespace, named: name => name.endsWith(suffix), metadata: template.metadata, spec: template.spec });
        if (found) {
          out.push({ path: `${pod.specPath}.volumes[${i}].ephemeral.volumeClaimTemplate`,
            message: `ephemeral volume ${shown(volume.name)} has a claim template that ${binding(found, 'binds', 'can bind')}; ${REMEDIATION}` });
        }
      }
    }
    if (manifest.kind === 'StatefulSet') claimTemplateFindings(manifest, volumes, namespace, out);
  }
}

/** What a StatefulSet's volume claim templates bind: its claims are named `<template>-<set>-<ordinal>`. */
function claimTemplateFindings(manifest: any, volumes: NodeVolumes, namespace: string | undefined, out: Violation[]): void {
  const templates = manifest.spec?.volumeClaimTemplates;
  if (!Array.isArray(templates)) return;
  templates.forEach((t: any, i: number) => {
    const prefix = `${t?.metadata?.name}-${manifest.metadata?.name}-`;
    const named = (name: string) => name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length));
    const found = boundNodeVolume(volumes, { namespace, named, metadata: t?.metadata, spec: t?.spec });
    if (found) {
      out.push({ path: `spec.volumeClaimTemplates[${i}]`,
        message: `volume claim template ${shown(t.metadata.name)} ${binding(found, 'binds', 'can bind')}; ${REMEDIATION}` });
    }
  });
}
