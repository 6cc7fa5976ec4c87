/** `convert(value)`, or null for null: most wire fields are nullable objects. */
export function mapNullable<T, U>(value: T | null, convert: (value: T) => U): U | null {
  return value === null ? null : convert(value);
}
