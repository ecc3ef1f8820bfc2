import { capMessage, type LogEvent } from './batch.js';

/**
 * The systemd journal as a source: `journalctl -o json` prints one JSON object per entry, with its cursor, its time in
 * microseconds and its message (a string, or an array of bytes when it is not valid UTF-8).
 */
export function journalctlArgs(unit: string, afterCursor?: string): string[] {
  return [
    '--unit',
    unit,
    '--output',
    'json',
    '--follow',
    '--no-tail',
    ...(afterCursor ? ['--after-cursor', afterCursor] : ['--boot']),
  ];
}

export function parseJournalLine(line: string): LogEvent | undefined {
  if (!line.trim()) return undefined;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const raw = entry['MESSAGE'];
  const message =
    typeof raw === 'string' ? raw : Array.isArray(raw) ? Buffer.from(raw as number[]).toString('utf8') : undefined;
  const micros = Number(entry['__REALTIME_TIMESTAMP']);
  if (message === undefined || !Number.isFinite(micros)) return undefined;
  return {
    timestamp: Math.floor(micros / 1000),
    message: capMessage(message),
    ...(typeof entry['__CURSOR'] === 'string' ? { cursor: entry['__CURSOR'] } : {}),
  };
}
