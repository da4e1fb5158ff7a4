// What every reader of parsed YAML or JSON asks first, in one place.

/** Whether `value` is a JSON object (a YAML mapping): not null, not a list. */
export function isObject(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
