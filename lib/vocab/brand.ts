// Two installed copies of the library (the app's and a dependency's) must recognise each other:
// `instanceof` compares constructors, and each copy has its own; state in a module's WeakMap is
// invisible to the other copy. As cdk8s does (ApiObject.isApiObject, Chart.isChart), types and
// shared state live under Symbol.for keys, which are the same in every copy.

const keyOf = (name: string) => Symbol.for(`cdk8s-secure.${name}`);

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
