// What the construct front doors (Guard.attach, Compliance) are given, checked where it is given: a scope
// that is not a construct, options that are not an object or name no option, and each option of the wrong
// type or value are errors naming it, the value and the fix, never a TypeError later, at synth.
import { Construct, IConstruct } from 'constructs';
import type { GuardOptions } from './guard';
import { checkEngineOptions, checkOptionNames, ReportFormat } from './policy';
import { notOneOf } from './vocab/image-settings';
import { booleanProblem, shown } from './workloads/prop-values';

/** Every option of a Guard (and of Compliance): a name not here is refused (a misspelt option would be left out unseen). */
const GUARD_OPTIONS: { readonly [name in keyof Required<GuardOptions>]: true } = {
  pack: true, trustedRegistries: true, pssVersion: true, suppressionPolicy: true,
  reportFormats: true, reportDir: true, reportName: true, printReport: true, imageRecord: true, printSummary: true,
};

/** The longest extension a report's file name gets ("sarif"): a file name is at most 255 bytes on the usual file systems. */
const REPORT_NAME_MAX_BYTES = 255 - '.sarif'.length;

/** Throws unless `scope` is a construct; `call` names the call for the message ("Guard.attach"). */
export function checkScope(scope: unknown, call: string): asserts scope is IConstruct {
  if (!Construct.isConstruct(scope)) {
    throw new Error(`${call}: the scope (${shown(scope)}) must be a construct, a cdk8s App or Chart, e.g. ${call}(app)`);
  }
}

/** Throws unless `options` are a Guard's (or Compliance's) options, each of its type; `call` names the call. */
export function checkGuardOptions(options: unknown, call: string): void {
  checkOptionNames(options, `the options of ${call}`, Object.keys(GUARD_OPTIONS), '{ pack: Packs.STRICT }');
  if (options === undefined) return;
  const o = options as GuardOptions;
  checkEngineOptions({ pack: o.pack, trustedRegistries: o.trustedRegistries, pssVersion: o.pssVersion, suppressionPolicy: o.suppressionPolicy });
  const problem = booleanProblem('printReport', o.printReport) ?? booleanProblem('imageRecord', o.imageRecord)
    ?? booleanProblem('printSummary', o.printSummary) ?? reportNameProblem(o.reportName) ?? reportFormatsProblem(o.reportFormats);
  if (problem) throw new Error(problem);
}

/** A report name is one file name: no folder in it (the reports go into reportDir), nothing a file name cannot hold. */
function reportNameProblem(name: unknown): string | undefined {
  if (name === undefined) return undefined;
  const fix = 'give a file name without extension, e.g. "compliance"; the folder is \'reportDir\'';
  if (typeof name !== 'string' || name === '' || name === '.' || name === '..') return `'reportName' (${shown(name)}) must be a file name: ${fix}`;
  if (/[/\\]/.test(name)) return `'reportName' (${shown(name)}) must be a file name, without "/" or "\\": ${fix}`;
  if (/\p{Cc}/u.test(name)) return `'reportName' (${shown(name)}) must be a file name, without control characters: ${fix}`;
  const bytes = Buffer.byteLength(name);
  if (bytes > REPORT_NAME_MAX_BYTES) {
    return `'reportName' (${shown(name)}) is ${bytes} bytes long; a report's file name (with ".sarif") must fit in 255 bytes: `
      + `give at most ${REPORT_NAME_MAX_BYTES}`;
  }
  return undefined;
}

function reportFormatsProblem(formats: unknown): string | undefined {
  if (formats === undefined) return undefined;
  const known = Object.values(ReportFormat) as string[];
  if (!Array.isArray(formats)) {
    return `'reportFormats' (${shown(formats)}) must be a list of formats, e.g. [ReportFormat.JSON] (["json"]); the formats are ${known.join(', ')}`;
  }
  const unknown = formats.find(f => !known.includes(f));
  return unknown === undefined ? undefined : notOneOf("'reportFormats'", unknown, known);
}
