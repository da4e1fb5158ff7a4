import { Finding, ObjectRef } from '../model';
import { escapeText } from './escape';

/** Describes an object for humans: `Deployment shop/api (chart/api/Resource)`, its names escaped (escape.ts). */
export function describeObject(o: ObjectRef): string {
  const name = o.namespace ? `${o.namespace}/${o.name}` : o.name;
  const where: string[] = [];
  if (o.constructPath) where.push(o.constructPath);
  if (o.file) where.push(o.documentIndex !== undefined ? `${o.file}#${o.documentIndex}` : o.file);
  return escapeText(`${o.kind || '(no kind)'} ${name || '(no name)'}${where.length ? ` (${where.join(', ')})` : ''}`);
}

/** One finding on one line: `[rule-id] message (at path). Fix: remediation` (plus the container where there is one). */
export function formatFinding(f: Finding): string {
  return escapeText(`[${f.ruleId}] ${f.message} (at ${f.path || '(document)'}). Fix: ${f.remediation}`);
}
