// Two installed copies of the library (the app's and a dependency's) must recognise each other:
// `instanceof` compares constructors, and each copy has its own; state in a module's WeakMap is
// invisible to the other copy. As cdk8s does (ApiObject.isApiObject, Chart.isChart), types and
// shared state live under Symbol.for keys, which are the same in every copy.

// Each key is looked up in the global symbol registry once: shared values are read on every scope of every object at
// synth (~170,000 times at 5,000 workloads), and a registry lookup of a string built each time costs ~10x a Map's.
const keys = new Map<string, symbol>();
function keyOf(name: string): symbol {
  let key = keys.get(name);
  if (key === undefined) keys.set(name, key = Symbol.for(`cdk8s-secure.${name}`));
  return key;
}

/** Marks `object` as a cdk8s-secure `type` (e.g. "NodePool"), for every copy of the library. */
export function brand(object: object, type: string): void {
  Object.defineProperty(object, keyOf(type), { value: true });
}

/** Whether `x` was marked as a cdk8s-secure `type` by any copy of the library. */
export function hasBrand(x: unknown, type: string): boolean {
  return x !== null && typeof x === 'object' && keyOf(type) in x;
}

/** What any copy of the library keeps on `object` as `name`, if anything. */
export function sharedValue(object: object, name: string): unknown {
  return (object as { [key: symbol]: unknown })[keyOf(name)];
}

/** Keeps `value` on `object` as `name`, for every copy of the library; set once. */
export function setSharedValue(object: object, name: string, value: unknown): void {
  Object.defineProperty(object, keyOf(name), { value });
}
