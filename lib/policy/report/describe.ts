import { Finding, ObjectRef } from '../model';
import { boundedFinding, boundedRef, escapeText } from './escape';

/** Describes an object for humans: `Deployment shop/api (chart/api/Resource)`, its names escaped and cut past 1,024 characters (escape.ts). */
export function describeObject(ref: ObjectRef): string {
  const o = boundedRef(ref);
  const name = o.namespace ? `${o.namespace}/${o.name}` : o.name;
  const where: string[] = [];
  if (o.constructPath) where.push(o.constructPath);
  if (o.file) where.push(o.documentIndex !== undefined ? `${o.file}#${o.documentIndex}` : o.file);
  return escapeText(`${o.kind || '(no kind)'} ${name || '(no name)'}${where.length ? ` (${where.join(', ')})` : ''}`);
}

/** One finding on one line: `[rule-id] message (at path). Fix: remediation`, its texts escaped and cut past 1,024 characters. */
export function formatFinding(finding: Finding): string {
  const f = boundedFinding(finding);
  return escapeText(`[${f.ruleId}] ${f.message} (at ${f.path || '(document)'}). Fix: ${f.remediation}`);
}
