// Brands recognise the library's own types across installed copies of it: `instanceof` compares
// constructors, and two copies (the app's and a dependency's) have two of each. As cdk8s does
// (ApiObject.isApiObject, Chart.isChart), an object carries a Symbol.for key, the same in every copy.

const brandOf = (type: string) => Symbol.for(`cdk8s-secure.${type}`);

/** Marks `object` as a cdk8s-secure `type` (e.g. "NodePool"), for every copy of the library. */
export function brand(object: object, type: string): void {
  Object.defineProperty(object, brandOf(type), { value: true });
}

/** Whether `x` was marked as a cdk8s-secure `type` by any copy of the library. */
export function hasBrand(x: unknown, type: string): boolean {
  return x !== null && typeof x === 'object' && brandOf(type) in x;
}
