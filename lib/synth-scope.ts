// cdk8s validates the whole app once in App.synth() and again inside every chart.toJson()
// that synth makes, so a validation that serialises objects runs 1 + (number of charts)
// times per synth. cdk8s has no synth hook, so the App's synth methods are wrapped (on the
// instance, once) to mark "one synth in progress": while it runs, the tree cannot change
// (user code is not running), and validations may reuse what they computed. Outside a
// synth (Testing.synth(chart), chart.toJson()) nothing is cached, so a later change is
// always seen.
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';

const memos = new WeakMap<App, Map<unknown, unknown>>();
const wrapped = new WeakSet<App>();

function appOf(construct: IConstruct): App | undefined {
  const root = construct.node.root;
  return root instanceof App ? root : undefined;
}

/** Makes `construct`'s App mark its synth runs. Idempotent. */
export function trackSynth(construct: IConstruct): void {
  const app = appOf(construct);
  if (!app || wrapped.has(app)) return;
  wrapped.add(app);
  for (const method of ['synth', 'synthYaml'] as const) {
    const original = (app as any)[method].bind(app);
    Object.defineProperty(app, method, {
      configurable: true,
      writable: true,
      value: (...args: unknown[]) => {
        const outer = memos.has(app);
        if (!outer) memos.set(app, new Map());
        try {
          return original(...args);
        } finally {
          if (!outer) memos.delete(app);
        }
      },
    });
  }
}

/**
 * `compute()`, memoised under `key` for the duration of the current synth of
 * `construct`'s App; computed afresh every time outside a synth.
 */
export function memoInSynth<T>(construct: IConstruct, key: unknown, compute: () => T): T {
  const app = appOf(construct);
  const memo = app ? memos.get(app) : undefined;
  if (!memo) return compute();
  if (!memo.has(key)) memo.set(key, compute());
  return memo.get(key) as T;
}
