/** The drill's record: every step with its measured duration, and the first violation (the drill stops there). */
export interface TimelineEntry {
  readonly step: string;
  readonly ms: number;
  readonly detail?: string;
}

export class DrillViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DrillViolation';
  }
}

export class Timeline {
  readonly entries: TimelineEntry[] = [];
  private readonly started = performance.now();

  constructor(private readonly log: (line: string) => void = () => {}) {}

  async step<T>(step: string, run: () => Promise<T>, detail?: (result: T) => string): Promise<T> {
    const began = performance.now();
    const result = await run();
    const entry = { step, ms: performance.now() - began, ...(detail ? { detail: detail(result) } : {}) };
    this.entries.push(entry);
    this.log(Timeline.format(entry, performance.now() - this.started));
    return result;
  }

  static format(entry: TimelineEntry, atMs?: number): string {
    const at = atMs === undefined ? '' : `${(atMs / 1000).toFixed(1).padStart(6)} s  `;
    return `${at}${entry.step.padEnd(62)} ${`${entry.ms.toFixed(0)} ms`.padStart(9)}${entry.detail ? `  ${entry.detail}` : ''}`;
  }
}

/** Stops the drill with a violation unless `condition` holds. */
export function expectThat(condition: unknown, violation: string): asserts condition {
  if (!condition) throw new DrillViolation(violation);
}
