// Where a JSON path of a document is written in its YAML: the line of the field's key (of the
// item, in a list), found by walking go-yaml's node tree of the document as the decoder does
// (aliases followed, merged maps searched after the map's own keys).
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

/** The key and value nodes of `name` in a mapping: its own last key of that name, else a merged map's. */
function entry(mapping: YamlNode, name: string, depth = 0): [YamlNode, YamlNode] | undefined {
  const children = mapping.children;
  for (let i = children.length - 2; i >= 0; i -= 2) {
    const key = deref(children[i]);
    if (key.kind === SCALAR_NODE && key.value === name && !(key.value === '<<' && key.implicit)) return [children[i], children[i + 1]];
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

/** The 1-based line of `segments` under `root`: a field's key, an item's start, or as deep as the path is written. */
export function lineAt(root: YamlNode, segments: ReadonlyArray<string | number>): number {
  let node = root;
  let line = root.line + 1;
  for (const segment of segments) {
    node = deref(node);
    if (node.kind === MAPPING_NODE && typeof segment === 'string') {
      const found = entry(node, segment);
      if (!found) return line;
      line = found[0].line + 1;
      node = found[1];
    } else if (node.kind === SEQUENCE_NODE && typeof segment === 'number' && segment < node.children.length) {
      node = node.children[segment];
      line = node.line + 1;
    } else {
      return line;
    }
  }
  return line;
}
