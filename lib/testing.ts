import { IConstruct } from 'constructs';
import { GuardOptions } from './guard';
import { checkGuardOptions, checkScope } from './guard-options';
import { describeObject, formatFinding, PolicyEngine, Report } from './policy';
import { scopeCheck } from './scope-check';

/**
 * Front door 4: compliance assertions for your own jest (or any) test suite.
 *
 * @example
 *   Compliance.assertCompliant(chart); // throws, listing every error finding
 */
export class Compliance {
  /**
   * Evaluates every ApiObject under `scope` (a Chart, an App or any construct).
   */
  public static evaluate(scope: IConstruct, options: GuardOptions = {}): Report {
    return evaluate(scope, options, 'Compliance.evaluate');
  }

  /**
   * Throws when any unsuppressed error finding exists under `scope`; the message lists each
   * finding with its object, rule, container, field and fix.
   */
  public static assertCompliant(scope: IConstruct, options: GuardOptions = {}): void {
    const report = evaluate(scope, options, 'Compliance.assertCompliant');
    if (!report.hasErrors) return;
    const lines = report.errors.map(f => `  ${describeObject(f.object)}: ${formatFinding(f)}`);
    throw new Error(`${report.summary.errors} compliance error(s) under "${scope.node.path || '(app)'}" (pack ${report.pack})`
      + `:\n${lines.join('\n')}\n${report.summaryLine()}`);
  }

  /**
   * The ids of the rules with unsuppressed error findings under `scope`, sorted and unique.
   */
  public static failingRules(scope: IConstruct, options: GuardOptions = {}): string[] {
    return [...new Set(evaluate(scope, options, 'Compliance.failingRules').errors.map(f => f.ruleId))].sort();
  }

  private constructor() {}
}

/** The report of everything under `scope`, once `call`'s arguments are checked. */
function evaluate(scope: IConstruct, options: GuardOptions, call: string): Report {
  checkScope(scope, call);
  checkGuardOptions(options, call);
  const check = scopeCheck(scope, options);
  return new PolicyEngine(check.options).evaluateDocuments(check.documents);
}
