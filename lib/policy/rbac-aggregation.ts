// What an aggregated ClusterRole holds, worked out once for all the ClusterRoles checked, as the cluster's
// aggregation controller (pkg/controller/clusterroleaggregation) fills it. On each sync the controller sets an
// aggregated role's rules to the union of the rules of every ClusterRole its selectors match, its own name
// skipped; any ClusterRole changing (its own writes included) re-queues every aggregated role, so it converges
// through nested aggregation (admin holds what edit holds, which holds what view holds), and around a cycle each
// member comes to hold what the others hold. What a role may hold is read as the union of what it holds at any
// time: its own rules (from creation until the first sync, and for good around a cycle) and the rules written
// in every ClusterRole its selectors reach, directly or through the roles they aggregate. A rule reached through
// several selectors is told at the first (in the order of clusterRoleSelectors) whose matches hold it.
//
// The cost is that of the answer, not of a walk per role per rule: each distinct selector is matched once over
// the ClusterRoles (through an index of their labels when it has matchLabels); the graph of which role
// aggregates which is cut into strongly connected components once (Tarjan's, without recursion, so a chain of
// any length does not overflow the stack); and for each question a rule asks (which roles' rules it flags)
// each aggregated component's reach is one bitset over those roles only, built sinks first and dropped as soon
// as every component that aggregates it is answered.
import { isObject } from '../vocab/json';
import { ObjectIndex } from './check';
import { goString, goStruct } from './go-decoding';
import { selectorMatches } from './label-selector';
import { inGroup } from './pod-view';
import { BOOTSTRAP_CLUSTER_ROLES, RBAC_GROUP } from './rbac-bootstrap';

/** What the selectors of one aggregated role bring in, selector by selector. */
export interface Brought<E> {
  /** The first `limit` entries the selector brings in, in the order of the cluster's ClusterRoles (built-in first, then input order). */
  readonly first: readonly E[];
  /** How many entries it brings in. */
  readonly total: number;
}

/** The ClusterRoles one distinct selector matches, and their components. */
interface Matched {
  /** Role numbers, ascending. */
  readonly roles: Int32Array;
  /** The distinct components of `roles`, and how many of `roles` each holds. */
  components: Int32Array;
  counts: Int32Array;
}

const NONE: Brought<never> = { first: [], total: 0 };

/** The ClusterRoles of a cluster (built-in and checked) and which aggregates which. */
class Aggregation {
  /** The ClusterRoles of the cluster by name (an input one replaces a built-in of its name), then input ones no name reaches. */
  private readonly roles: any[] = [];
  /** How many of `roles` a selector can match: those the cluster holds by name. */
  private readonly named: number;
  private readonly numberOf = new Map<any, number>();
  private readonly byName = new Map<string, number>();
  /** Label key to value to the role numbers carrying it, ascending. */
  private readonly byLabel = new Map<string, Map<string, number[]>>();
  private readonly matchedBySelector = new Map<string, Matched>();
  /** Per role: what each of its selectors matches, or undefined for a role with no aggregationRule selectors. */
  private readonly selectors: Array<Matched[] | undefined> = [];
  /** Per role, its component; components are numbered sinks first (each after every one it reaches). */
  private readonly component: Int32Array;
  private readonly members: number[][] = [];
  private readonly answers = new Map<string, Map<any, ReadonlyArray<Brought<unknown>>>>();

  constructor(index: ObjectIndex) {
    const byName = new Map<string, any>(BOOTSTRAP_CLUSTER_ROLES.map(role => [role.metadata.name, role]));
    const unnamed: any[] = [];
    for (const role of index.ofKind('ClusterRole')) {
      if (!inGroup(role.apiVersion, RBAC_GROUP)) continue;
      if (typeof role.metadata?.name !== 'string') unnamed.push(role);
      else {
        const shadowed = byName.get(role.metadata.name);
        if (shadowed && !BOOTSTRAP_CLUSTER_ROLES.includes(shadowed)) unnamed.push(shadowed);
        byName.set(role.metadata.name, role);
      }
    }
    for (const [name, role] of byName) this.add(role, name);
    this.named = this.roles.length;
    for (const role of unnamed) this.add(role, undefined);
    this.roles.forEach(role => {
      const selectors = role.aggregationRule?.clusterRoleSelectors;
      this.selectors.push(Array.isArray(selectors) ? selectors.map(s => this.matched(goStruct(s))) : undefined);
    });
    this.component = this.components();
    for (const matched of this.matchedBySelector.values()) this.place(matched);
  }

  private add(role: any, name: string | undefined): void {
    const n = this.roles.length;
    this.roles.push(role);
    this.numberOf.set(role, n);
    if (name === undefined) return;
    this.byName.set(name, n);
    const labels = role.metadata?.labels;
    if (!isObject(labels)) return;
    for (const key of Object.keys(labels)) {
      const value = goString(labels[key]);
      if (typeof value !== 'string') continue;
      let values = this.byLabel.get(key);
      if (!values) this.byLabel.set(key, values = new Map());
      const holders = values.get(value);
      if (holders) holders.push(n);
      else values.set(value, [n]);
    }
  }

  /** The ClusterRoles `selector` matches (among those the cluster holds by name), worked out once per distinct selector. */
  private matched(selector: unknown): Matched {
    const key = JSON.stringify(selector) ?? 'undefined';
    let matched = this.matchedBySelector.get(key);
    if (matched) return matched;
    // Every matchLabels pair must hold, so the roles carrying the first pair are the only candidates.
    let candidates: Iterable<number> | undefined;
    const pairs = isObject(selector) && isObject(selector.matchLabels) ? Object.keys(selector.matchLabels) : [];
    if (pairs.length) {
      const want = goString((selector as any).matchLabels[pairs[0]]);
      candidates = typeof want === 'string' ? this.byLabel.get(pairs[0])?.get(want) ?? [] : [];
    }
    const roles: number[] = [];
    for (const n of candidates ?? this.roles.keys()) {
      if (n < this.named && selectorMatches(selector, this.roles[n].metadata?.labels)) roles.push(n);
    }
    matched = { roles: Int32Array.from(roles), components: new Int32Array(0), counts: new Int32Array(0) };
    this.matchedBySelector.set(key, matched);
    return matched;
  }

  /** Each role's strongly connected component (Tarjan's, with an explicit stack), numbered sinks first. */
  private components(): Int32Array {
    const count = this.roles.length;
    const component = new Int32Array(count).fill(-1);
    const order = new Int32Array(count).fill(-1);
    const low = new Int32Array(count);
    const onStack = new Uint8Array(count);
    const stack: number[] = [];
    // The walk: each frame is a role, the selector it is at and the match within that selector.
    const frames: Array<[number, number, number]> = [];
    let next = 0;
    for (let root = 0; root < count; root++) {
      if (order[root] >= 0) continue;
      const enter = (v: number) => {
        order[v] = low[v] = next++;
        stack.push(v);
        onStack[v] = 1;
        frames.push([v, 0, 0]);
      };
      enter(root);
      while (frames.length) {
        const frame = frames[frames.length - 1];
        const [v] = frame;
        const selectors = this.selectors[v] ?? [];
        let descended = false;
        while (frame[1] < selectors.length) {
          const roles = selectors[frame[1]].roles;
          if (frame[2] >= roles.length) {
            frame[1]++;
            frame[2] = 0;
            continue;
          }
          const w = roles[frame[2]++];
          if (order[w] < 0) {
            enter(w);
            descended = true;
            break;
          }
          if (onStack[w]) low[v] = Math.min(low[v], order[w]);
        }
        if (descended) continue;
        frames.pop();
        if (frames.length) {
          const parent = frames[frames.length - 1][0];
          low[parent] = Math.min(low[parent], low[v]);
        }
        if (low[v] !== order[v]) continue;
        const members: number[] = [];
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component[w] = this.members.length;
          members.push(w);
        } while (w !== v);
        this.members.push(members.sort((a, b) => a - b));
      }
    }
    return component;
  }

  /** Fills in the components of what a selector matches. */
  private place(matched: Matched): void {
    const components: number[] = [];
    const counts: number[] = [];
    const at = new Map<number, number>();
    for (const n of matched.roles) {
      const c = this.component[n];
      const i = at.get(c);
      if (i === undefined) {
        at.set(c, components.length);
        components.push(c);
        counts.push(1);
      } else {
        counts[i]++;
      }
    }
    matched.components = Int32Array.from(components);
    matched.counts = Int32Array.from(counts);
  }

  /** The ClusterRole of the cluster named `name`: the input's, else the built-in one. */
  public clusterRole(name: string): any {
    const n = this.byName.get(name);
    return n === undefined ? undefined : this.roles[n];
  }

  /**
   * For each selector of `role` (a ClusterRole with an aggregationRule), what the roles it brings in hold:
   * `held(role)` lists what a rule reads in that role's own rules. Worked out for every role at the first question
   * `topic` asks; `limit` entries per selector are kept.
   */
  public brought<E>(role: any, topic: string, held: (role: any) => readonly E[], limit: number): ReadonlyArray<Brought<E>> {
    let answers = this.answers.get(topic);
    if (!answers) this.answers.set(topic, answers = this.answerAll(held, limit));
    const n = this.numberOf.get(role);
    return (n === undefined ? [] : answers.get(role) ?? []) as ReadonlyArray<Brought<E>>;
  }

  private answerAll<E>(heldBy: (role: any) => readonly E[], limit: number): Map<any, ReadonlyArray<Brought<E>>> {
    const answers = new Map<any, ReadonlyArray<Brought<E>>>();
    // The roles whose own rules hold something, numbered in role order: only their bits are kept.
    const held: Array<readonly E[]> = [];
    const holderOf = new Int32Array(this.roles.length).fill(-1);
    this.roles.forEach((role, n) => {
      if (n >= this.named) return;
      const entries = heldBy(role);
      if (entries.length) {
        holderOf[n] = held.length;
        held.push(entries);
      }
    });
    const words = (held.length + 31) >>> 5;
    const aggregated = (c: number) => this.members[c].some(n => this.selectors[n] !== undefined);
    // How many other components aggregate each one: its reach is dropped once they are all answered.
    const waiting = new Int32Array(this.members.length);
    const seen = new Int32Array(this.members.length).fill(-1);
    const aggregates = (c: number, each: (d: number) => void) => {
      for (const n of this.members[c]) {
        for (const matched of this.selectors[n] ?? []) {
          for (const d of matched.components) {
            if (d !== c && seen[d] !== c) {
              seen[d] = c;
              each(d);
            }
          }
        }
      }
    };
    for (let c = 0; c < this.members.length; c++) aggregates(c, d => waiting[d]++);
    seen.fill(-1);
    const reach: Array<Uint32Array | undefined> = new Array(this.members.length);
    const addReach = (into: Uint32Array, c: number) => {
      const bits = reach[c];
      if (bits) for (let i = 0; i < words; i++) into[i] |= bits[i];
      else for (const n of this.members[c]) if (holderOf[n] >= 0) into[holderOf[n] >>> 5] |= 1 << (holderOf[n] & 31);
    };
    for (let c = 0; c < this.members.length; c++) {
      if (!aggregated(c)) continue;
      const bits = new Uint32Array(words);
      for (const n of this.members[c]) {
        if (holderOf[n] >= 0) bits[holderOf[n] >>> 5] |= 1 << (holderOf[n] & 31);
        for (const matched of this.selectors[n] ?? []) for (const d of matched.components) if (d !== c) addReach(bits, d);
      }
      reach[c] = bits;
      for (const n of this.members[c]) {
        if (this.selectors[n]) answers.set(this.roles[n], this.answer(n, addReach, held, holderOf, words, limit));
      }
      aggregates(c, d => {
        if (--waiting[d] === 0) reach[d] = undefined;
      });
      if (waiting[c] === 0) reach[c] = undefined;
    }
    return answers;
  }

  /** What each selector of role `n` brings in: its matches' reach, less the role itself and what earlier selectors brought. */
  private answer<E>(n: number, addReach: (into: Uint32Array, c: number) => void, held: ReadonlyArray<readonly E[]>, holderOf: Int32Array,
    words: number, limit: number): Array<Brought<E>> {
    const selectors = this.selectors[n]!;
    if (words === 0) return selectors.map(() => NONE);
    // The controller skips the role of the aggregating role's own name among what a selector matches.
    const self = this.byName.get(this.roles[n].metadata?.name);
    const claimed = new Uint32Array(words);
    if (self !== undefined && holderOf[self] >= 0) claimed[holderOf[self] >>> 5] |= 1 << (holderOf[self] & 31);
    return selectors.map(matched => {
      const bits = new Uint32Array(words);
      matched.components.forEach((c, i) => {
        // A component that holds only the role itself among the matches is not brought in by them.
        if (self === undefined || c !== this.component[self] || matched.counts[i] > 1 || !includes(matched.roles, self)) addReach(bits, c);
      });
      const first: E[] = [];
      let total = 0;
      for (let i = 0; i < words; i++) {
        let word = bits[i] & ~claimed[i];
        claimed[i] |= word;
        while (word) {
          const low = word & -word;
          const entries = held[(i << 5) + 31 - Math.clz32(low)];
          for (const entry of entries) if (first.length < limit) first.push(entry);
          total += entries.length;
          word ^= low;
        }
      }
      return total ? { first, total } : NONE;
    });
  }
}

/** Whether ascending `values` holds `value`. */
function includes(values: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = values.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] === value) return true;
    if (values[mid] < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The aggregation of the ClusterRoles of `index`, worked out once per index. */
export function aggregationOf(index: ObjectIndex): Aggregation {
  return index.cached('rbac-aggregation', undefined, i => new Aggregation(i));
}
