// Kubernetes resource quantities ("250m", "0.5", "128Mi", "1e3", "2G"), as the API
// server accepts them. Values are compared as numbers in base units (cores, bytes).

const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?[0-9]+))?$/;

const MULTIPLIER: { [suffix: string]: number } = {
  'n': 1e-9, 'u': 1e-6, 'm': 1e-3, '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
};

// Parsed quantities, shared by the whole process: manifests repeat a few dozen amounts ("500m",
// "256Mi") across thousands of containers, and the rules read each several times. Bounded: amounts
// of up to 32 characters, emptied when it reaches the limit. (The regular expression's match was
// most of what a warm check allocated after the engine's own allocations went.)
const PARSED = new Map<string, number | undefined>();
const PARSED_LIMIT = 10_000;

/** The value of a quantity in base units, or undefined when it is not a valid quantity. */
export function parseQuantity(quantity: string): number | undefined {
  if (typeof quantity !== 'string') return undefined;
  if (quantity.length > 32) return parsed(quantity);
  let value = PARSED.get(quantity);
  if (value === undefined && !PARSED.has(quantity)) {
    if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
    PARSED.set(quantity, value = parsed(quantity));
  }
  return value;
}

function parsed(quantity: string): number | undefined {
  const m = QUANTITY.exec(quantity.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[3] !== undefined) return base * 10 ** Number(m[3]);
  return base * MULTIPLIER[m[2] ?? ''];
}

/**
 * Why a container's resource request or limit bounds nothing, or undefined when it bounds the
 * resource: 'unset'; 'invalid' (not a quantity, or negative: the API server refuses it); 'zero'
 * (Kubernetes takes a limit of 0 as no limit, and a request of 0 reserves nothing). A JSON
 * number is a quantity too (`cpu: 1`).
 */
export function unboundedAmount(value: unknown): 'unset' | 'invalid' | 'zero' | undefined {
  if (value === undefined || value === null || value === '') return 'unset';
  const amount = typeof value === 'number' ? (Number.isFinite(value) ? value : undefined) : parseQuantity(value as string);
  if (amount === undefined || amount < 0) return 'invalid';
  return amount === 0 ? 'zero' : undefined;
}

/** What a zero amount means to Kubernetes, for messages: "no limit" or "no request". */
export function zeroMeaning(section: 'requests' | 'limits'): string {
  return section === 'limits' ? 'no limit' : 'a request of nothing';
}
