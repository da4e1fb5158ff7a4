import { IConstruct } from 'constructs';

// Scopes a Guard is attached to. Kept apart from guard.ts so workloads can ask
// "is a Guard reporting for me?" without importing the Guard itself.
const guarded = new WeakSet<IConstruct>();

export function markGuarded(scope: IConstruct): void {
  guarded.add(scope);
}

/** Whether a Guard is attached to `construct` or one of its scopes. */
export function guardCovers(construct: IConstruct): boolean {
  return construct.node.scopes.some(s => guarded.has(s));
}
