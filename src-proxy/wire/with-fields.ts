/**
 * `{ ...source, ...fields }` (as `{ ...source, key: value }` is written) without the spread: on
 * Node 20's V8 (11.3), once the code around it is optimized, a literal that starts with a spread
 * and then adds a key the source does not have makes a new hidden class (Map) in old space on every
 * evaluation (~1 us each, a mark-compact every ~100k), and whatever the object holds is promoted
 * with it. Object.assign onto a fresh object keeps one hidden class (README, Performance, "Spreads
 * that add a key"). test/perf/spread-shapes.test.ts finds such a literal in code that runs per
 * request (the type checker decides which keys the source surely has).
 *
 * Same result as the spread: the source's own enumerable keys first, in their order, then the new
 * fields; a field the source has keeps its place and takes the new value. The one case where
 * Object.assign differs is a source with an own `__proto__` key (JSON.parse makes one from
 * `{"__proto__": …}`): assigning it would set the copy's prototype instead of copying a field, so
 * that case keeps the spread. `fields` is always a literal written in this code, never input. A
 * null or undefined source (a JSON value cast to an object) copies nothing, as the spread does.
 */
export function withFields<T extends object, F extends object>(source: T, fields: F): Omit<T, keyof F> & F {
  if (source !== null && source !== undefined && Object.hasOwn(source, '__proto__')) return { ...source, ...fields };
  return Object.assign({}, source, fields);
}
