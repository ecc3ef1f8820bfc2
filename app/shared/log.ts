/** Severity order; a logger prints its level and everything more severe. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `log(message)` is informational; `log(message, error)` is an error. */
export type Log = (message: string, error?: unknown) => void;

/**
 * One JSON object per line on stderr: CloudWatch Logs (via the agent) keeps each line as one event and can filter on
 * `level`. Errors carry their name, message and stack, never request bodies.
 */
export function createLog(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): Log {
  const threshold = LOG_LEVELS.indexOf(level);
  return (message, error) => {
    const severity: LogLevel = error === undefined ? 'info' : 'error';
    if (LOG_LEVELS.indexOf(severity) < threshold) return;
    const detail =
      error instanceof Error
        ? { error: { name: error.name, message: error.message, stack: error.stack } }
        : error === undefined
          ? {}
          : { error: String(error) };
    write(`${JSON.stringify({ time: new Date().toISOString(), level: severity, msg: message, ...detail })}\n`);
  };
}
