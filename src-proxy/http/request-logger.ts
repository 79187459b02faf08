/**
 * `request.log`, built when first used. Fastify gives every request a child logger bound to its
 * id; pino builds one by copying its parent's settings and serialising the bindings (about a
 * microsecond and a few objects per request), while the gateway logs through `request.log` only
 * when something went wrong (request logging itself is off, server.ts). This stand-in holds the
 * parent and the bindings and makes the same child on the first call: what is logged is unchanged.
 */
import type { FastifyBaseLogger } from 'fastify';

type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>;
const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type Level = (typeof LEVELS)[number];

class LazyRequestLogger {
  private made: FastifyBaseLogger | null = null;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildOptions,
  ) {}

  get real(): FastifyBaseLogger {
    return (this.made ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.made ? this.made.level : (this.options.level ?? this.parent.level);
  }

  set level(level: string) {
    this.real.level = level;
  }

  child(bindings: Bindings, options?: ChildOptions): FastifyBaseLogger {
    return this.real.child(bindings, options);
  }
}

// The log methods live on the prototype (no closures per request); each makes the child and logs.
for (const level of LEVELS) {
  Object.defineProperty(LazyRequestLogger.prototype, level, {
    value: function log(this: LazyRequestLogger, ...args: unknown[]): void {
      const real = this.real;
      (real[level] as (...values: unknown[]) => void).apply(real, args);
    },
  });
}

/** Fastify's `childLoggerFactory`: the request's child logger, made on first use. */
export function lazyRequestLogger(parent: FastifyBaseLogger, bindings: Bindings, options: ChildOptions): FastifyBaseLogger {
  // The prototype above carries the Level methods the class cannot declare without closures.
  return new LazyRequestLogger(parent, bindings, options) as unknown as FastifyBaseLogger & Record<Level, unknown>;
}
