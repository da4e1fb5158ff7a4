// metav1.LabelSelector as apimachinery's LabelSelectorAsSelector and labels.Requirement.Matches evaluate it: the one
// selector every rule reads (NetworkPolicy podSelector and peers, ClusterRole aggregation, PersistentVolumeClaim selector).
import { selectorMatches } from '../../lib/policy/label-selector';

const labels = { tier: 'web', team: 'shop', empty: '' };

test.each<[unknown, boolean]>([
  // Empty selects everything; absent or null (LabelSelectorAsSelector(nil)) selects nothing.
  [{}, true],
  [{ matchLabels: {} }, true],
  [{ matchExpressions: [] }, true],
  [{ matchLabels: null, matchExpressions: null }, true],
  [undefined, false],
  [null, false],
  ['tier=web', false],
  // matchLabels: key present with that value.
  [{ matchLabels: { tier: 'web' } }, true],
  [{ matchLabels: { tier: 'db' } }, false],
  [{ matchLabels: { empty: '' } }, true],
  [{ matchLabels: { zone: '' } }, false],
  [{ matchLabels: { empty: null } }, true],
  [{ matchLabels: { constructor: '' } }, false],
  [{ matchLabels: { tier: 1 } }, false],
  [{ matchLabels: 'tier=web' }, false],
  // In and NotIn: NotIn holds for an object without the key; neither may be empty.
  [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] }, true],
  [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, false],
  [{ matchExpressions: [{ key: 'empty', operator: 'In', values: [null] }] }, true],
  [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, false],
  [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
  [{ matchExpressions: [{ key: 'tier', operator: 'In', values: [] }] }, false],
  [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: [] }] }, false],
  [{ matchExpressions: [{ key: 'zone', operator: 'NotIn' }] }, false],
  [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: [1] }] }, false],
  [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: 'a' }] }, false],
  // Exists and DoesNotExist: the key alone, and no values.
  [{ matchExpressions: [{ key: 'team', operator: 'Exists' }] }, true],
  [{ matchExpressions: [{ key: 'empty', operator: 'Exists', values: null }] }, true],
  [{ matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] }, false],
  [{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, true],
  [{ matchExpressions: [{ key: 'team', operator: 'Exists', values: ['shop'] }] }, false],
  [{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist', values: ['x'] }] }, false],
  // Everything ANDed; operators are case-sensitive and only these four.
  [{ matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'team', operator: 'In', values: ['ops'] }] }, false],
  [{ matchLabels: { tier: 'web' }, matchExpressions: [{ key: 'team', operator: 'In', values: ['shop'] }] }, true],
  [{ matchExpressions: [{ key: 'tier', operator: 'in', values: ['web'] }] }, false],
  [{ matchExpressions: [{ key: 'tier', operator: 'Matches', values: ['web'] }] }, false],
  [{ matchExpressions: [null] }, false],
  [{ matchExpressions: { key: 'tier', operator: 'Exists' } }, false],
])('%j on tier=web,team=shop,empty="": %s', (selector, expected) => {
  expect(selectorMatches(selector, labels)).toBe(expected);
});

test('an object without labels: only selectors that ask for no key match it', () => {
  expect(selectorMatches({}, undefined)).toBe(true);
  expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, undefined)).toBe(true);
  expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, null)).toBe(true);
  expect(selectorMatches({ matchLabels: { zone: '' } }, {})).toBe(false);
});
