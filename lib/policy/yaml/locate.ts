// Where a field of a document is written in its YAML: which key node of go-yaml's node tree
// holds it, found as the decoder resolves keys (aliases followed, merged maps searched after the
// map's own keys), and a finding's JSON path as segments.
import { ALIAS_NODE, MAPPING_NODE, SCALAR_NODE, SEQUENCE_NODE, YamlNode } from './parser';

/** A finding's JSON path as segments: `spec.containers[0].env` and `metadata.labels["app"]`. */
export function pathSegments(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  const re = /\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|([^.[\]]+)/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m[1] !== undefined) segments.push(Number(m[1]));
    else if (m[2] !== undefined) segments.push(JSON.parse(`"${m[2]}"`));
    else segments.push(m[3]);
  }
  return segments;
}

function deref(node: YamlNode): YamlNode {
  return node.kind === ALIAS_NODE && node.alias ? node.alias : node;
}

/** Whether `key` (a mapping's key node) is a key named `name`, not a merge. */
function isKey(key: YamlNode, name: string): boolean {
  const k = deref(key);
  return k.kind === SCALAR_NODE && k.value === name && !(k.value === '<<' && k.implicit);
}

/**
 * The index of each name's last own key in a mapping (merges aside), for `entry` on a large one.
 */
export function ownKeys(mapping: YamlNode): Map<string, number> {
  const own = new Map<string, number>();
  const children = mapping.children;
  for (let i = 0; i < children.length; i += 2) {
    const key = deref(children[i]);
    if (isKey(key, key.value)) own.set(key.value, i);
  }
  return own;
}

/**
 * The key and value nodes of `name` in a mapping: its own last key of that name, else a merged
 * map's. `own` is `ownKeys(mapping)`, given where the mapping is searched for many names.
 */
export function entry(mapping: YamlNode, name: string, depth = 0, own?: ReadonlyMap<string, number>): [YamlNode, YamlNode] | undefined {
  const children = mapping.children;
  if (own) {
    const i = own.get(name);
    if (i !== undefined) return [children[i], children[i + 1]];
  } else {
    for (let i = children.length - 2; i >= 0; i -= 2) {
      if (isKey(children[i], name)) return [children[i], children[i + 1]];
    }
  }
  if (depth > 16) return undefined;
  for (let i = 0; i < children.length; i += 2) {
    const key = children[i];
    if (key.kind !== SCALAR_NODE || key.value !== '<<') continue;
    const merged = deref(children[i + 1]);
    const sources = merged.kind === SEQUENCE_NODE ? merged.children.map(deref) : [merged];
    for (const source of sources) {
      const found = source.kind === MAPPING_NODE ? entry(source, name, depth + 1) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}
