import { pino, type Logger } from 'pino';

/** Severity order; a logger prints its level and everything more severe. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * `log(message)` is informational; `log(message, error)` is an error; `fields` add context (e.g. the request id).
 * `logger` is the pino logger behind it, for per-request logging; a test double may leave it out.
 */
export interface Log {
  (message: string, error?: unknown, fields?: Readonly<Record<string, unknown>>): void;
  readonly logger?: Logger;
}

/**
 * One JSON object per line on stderr (pino): CloudWatch Logs (via the agent) keeps each line as one event and can
 * filter on `level`. Errors carry their type, message and stack, never request bodies.
 */
export function createLog(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): Log {
  const logger = pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write },
  );
  const log = (message: string, error?: unknown, fields?: Readonly<Record<string, unknown>>) => {
    if (error === undefined) logger.info({ ...fields }, message);
    else logger.error({ ...fields, err: error }, message);
  };
  return Object.assign(log, { logger });
}
