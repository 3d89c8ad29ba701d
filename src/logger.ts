/**
 * KafkaJS-compatible logging: the same `logLevel` numbers, the same `logCreator` contract, and
 * `logger.namespace()`. A pino-style object (`{ error, warn, info, debug }` taking `(obj, msg)`)
 * can be passed instead of a log creator. Every entry's extra fields go through
 * `redact()` first (secret fields become `[redacted]`), so a password, token, SASL secret or TLS
 * private key handed to a log call never reaches the sink; other fields, `key` included, pass.
 */

/** Log levels with KafkaJS's numbers: a logger set to a level logs that level and every more severe one (lower number). */
export const logLevel = Object.freeze({
  /** Logs nothing. */
  NOTHING: 0,
  /** Only errors. */
  ERROR: 1,
  /** Errors and warnings. */
  WARN: 2,
  /** Errors, warnings and information (the default). */
  INFO: 4,
  /** Everything, including per-request detail. */
  DEBUG: 5,
} as const);

/** One value of {@link logLevel}. */
export type LogLevel = (typeof logLevel)[keyof typeof logLevel];
/** `logLevel` as a type too, as KafkaJS's enum is (`logCreator: (level: logLevel) => ...`). */
export type logLevel = LogLevel;

/** What a log creator's function receives for each log line (KafkaJS's shape). */
export interface LogEntry {
  /** The component that logged, e.g. `Producer`, `Consumer`, `Connection`. */
  namespace: string;
  /** The line's level. */
  level: LogLevel;
  /** The level's name: `ERROR`, `WARN`, `INFO` or `DEBUG`. */
  label: string;
  /** The line itself, with the caller's extra fields (secrets redacted). */
  log: {
    /** When the line was logged, ISO 8601. */
    readonly timestamp: string;
    /** Always `kafkats`. */
    logger?: string;
    /** The message. */
    readonly message: string;
    [key: string]: unknown;
  };
}

/**
 * KafkaJS's `logCreator`: called once with the configured level, returns the function that
 * receives every {@link LogEntry}.
 */
export type LogCreator = (level: LogLevel) => (entry: LogEntry) => void;

/** What `kafka.logger()` returns and what every component logs through. */
export interface Logger {
  /** Logs at ERROR: something failed that the client could not handle. */
  error(message: string, extra?: object): void;
  /** Logs at WARN: something failed and was handled (a retry, a rebalance). */
  warn(message: string, extra?: object): void;
  /** Logs at INFO: lifecycle (connected, joined a group, assignment). */
  info(message: string, extra?: object): void;
  /** Logs at DEBUG: details for diagnosing (requests, state changes). */
  debug(message: string, extra?: object): void;
  /** A logger whose entries carry `namespace` (and, if given, log from another level). */
  namespace(namespace: string, level?: LogLevel): Logger;
  /** Changes the least severe level logged, from now on. */
  setLogLevel(level: LogLevel): void;
}

/** The subset of pino (or bunyan, winston with a wrapper) that the `logger` option accepts. */
export interface ExternalLogger {
  /** pino's `logger.error(obj, msg)`. */
  error(obj: object, msg?: string): void;
  /** pino's `logger.warn(obj, msg)`. */
  warn(obj: object, msg?: string): void;
  /** pino's `logger.info(obj, msg)`. */
  info(obj: object, msg?: string): void;
  /** pino's `logger.debug(obj, msg)`. */
  debug(obj: object, msg?: string): void;
}

const LABELS: Record<number, string> = { 1: 'ERROR', 2: 'WARN', 4: 'INFO', 5: 'DEBUG' };

/**
 * Field names that hold secrets wherever they appear: passwords and passphrases, tokens,
 * credentials, SASL material (`sasl.password`, an OAUTHBEARER token, AWS keys). A user's own
 * field called `key` (a record key, a cache key) is not one of them.
 */
const SECRET_KEY =
  /pass(word|phrase)?|secret|token|credential|authorization|private|sasl.*value|accessKeyId|secretAccessKey/i;
/** Inside TLS options (`ssl`, `tls`) the private key material: `key` and `pfx`. */
const TLS_SECRET_KEY = /^(key|pfx)$/i;
const TLS_PARENT = /^(ssl|tls)$/i;
const REDACTED = '[redacted]';

/**
 * A copy of `value` with every secret field replaced by `[redacted]`, to any depth (cycles and
 * Buffers handled). Used on log extras and on configuration before it is logged.
 */
export function redact(value: unknown, seen: WeakSet<object> = new WeakSet(), parent = ''): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? '[function]' : value;
  if (Buffer.isBuffer(value)) return `<Buffer ${value.length} bytes>`;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => redact(v, seen, parent));
  const inTls = TLS_PARENT.test(parent);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const secret = SECRET_KEY.test(k) || (inTls && TLS_SECRET_KEY.test(k));
    out[k] = secret && v !== undefined && v !== null ? REDACTED : redact(v, seen, k);
  }
  return out;
}

/** KafkaJS's default: one JSON line per entry on the console stream matching its level. */
export const defaultLogCreator: LogCreator = () => {
  return ({ namespace, level, label, log }) => {
    const prefix = namespace ? `[${namespace}] ` : '';
    const line = JSON.stringify({ level: label, ...log, message: `${prefix}${log.message}` }, bigintSafe);
    if (level === logLevel.ERROR) console.error(line);
    else if (level === logLevel.WARN) console.warn(line);
    else if (level === logLevel.INFO) console.info(line);
    else console.log(line);
  };
};

function bigintSafe(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

/** Turns a pino-compatible object into a log creator (levels are filtered by us, not by it). */
export function logCreatorFromExternal(external: ExternalLogger): LogCreator {
  return () =>
    ({ namespace, level, log }) => {
      const { message, ...rest } = log;
      const obj = namespace ? { namespace, ...rest } : rest;
      if (level === logLevel.ERROR) external.error(obj, message);
      else if (level === logLevel.WARN) external.warn(obj, message);
      else if (level === logLevel.INFO) external.info(obj, message);
      else external.debug(obj, message);
    };
}

interface LoggerState {
  level: LogLevel;
  sink: (entry: LogEntry) => void;
}

class NamespacedLogger implements Logger {
  constructor(
    private readonly state: LoggerState,
    private readonly ns: string,
    private readonly ownLevel: LogLevel | undefined,
  ) {}

  private emit(level: LogLevel, message: string, extra?: object): void {
    const threshold = this.ownLevel ?? this.state.level;
    if (level > threshold || threshold === logLevel.NOTHING) return;
    const fields = extra === undefined ? {} : (redact(extra) as Record<string, unknown>);
    try {
      this.state.sink({
        namespace: this.ns,
        level,
        label: LABELS[level] ?? 'INFO',
        log: { timestamp: new Date().toISOString(), logger: 'kafkats', ...fields, message },
      });
    } catch {
      // A broken sink must not break the client.
    }
  }

  error(message: string, extra?: object): void {
    this.emit(logLevel.ERROR, message, extra);
  }
  warn(message: string, extra?: object): void {
    this.emit(logLevel.WARN, message, extra);
  }
  info(message: string, extra?: object): void {
    this.emit(logLevel.INFO, message, extra);
  }
  debug(message: string, extra?: object): void {
    this.emit(logLevel.DEBUG, message, extra);
  }
  namespace(namespace: string, level?: LogLevel): Logger {
    return new NamespacedLogger(this.state, namespace, level ?? this.ownLevel);
  }
  setLogLevel(level: LogLevel): void {
    this.state.level = level;
  }
}

export interface CreateLoggerOptions {
  level?: LogLevel;
  logCreator?: LogCreator;
  logger?: ExternalLogger;
}

/** The root logger of one `Kafka` instance. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const level = options.level ?? logLevel.INFO;
  const creator = options.logger
    ? logCreatorFromExternal(options.logger)
    : (options.logCreator ?? defaultLogCreator);
  return new NamespacedLogger({ level, sink: creator(level) }, '', undefined);
}

/** A logger that drops everything, for components created without one. */
export const nullLogger: Logger = createLogger({ level: logLevel.NOTHING, logCreator: () => () => {} });
