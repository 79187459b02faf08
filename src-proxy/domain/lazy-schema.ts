/**
 * A schema built on first use. Building zod schemas is most of the work the engine's modules do
 * when they load (zod v4 sets up each schema object and every chained `.min()`, `.optional()`,
 * `.strict()` copy of it), and a start uses few of them: the control operations' requests, the
 * config file's and the entities' input schemas are needed when someone configures something, not
 * to answer `/health` (README, Performance: start-up). `lazySchema(() => z.object(…))` stands for
 * the schema it builds: every property read, `in` test and `instanceof` goes to the built schema,
 * which is built once, at the first of them, so a schema composed of lazy schemas builds its parts
 * when it is built itself.
 */

let built = 0;

/** How many lazy schemas were built so far in this process (test/perf/lazy-schemas.test.ts). */
export function builtLazySchemas(): number {
  return built;
}

export function lazySchema<T extends object>(build: () => T): T {
  let schema: T | undefined;
  const real = (): T => {
    if (schema === undefined) {
      schema = build();
      built += 1;
    }
    return schema;
  };
  // The target stays an empty object: every trap answers from the built schema. Descriptors are
  // reported configurable, as a proxy may not report a non-configurable property its target lacks.
  return new Proxy({} as T, {
    get: (_target, key) => Reflect.get(real(), key),
    has: (_target, key) => Reflect.has(real(), key),
    set: (_target, key, value) => Reflect.set(real(), key, value),
    deleteProperty: (_target, key) => Reflect.deleteProperty(real(), key),
    defineProperty: (_target, key, descriptor) => Reflect.defineProperty(real(), key, descriptor),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
