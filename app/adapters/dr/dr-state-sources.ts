import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DR_INACTIVE, type DrState, type DrStateStore } from '../../booking/dr.js';
import { parseDrState, serializeDrState } from '../../booking/dr-state-codec.js';
import { activated, deactivated, failingBack } from '../../booking/dr-transitions.js';
import type { DrStateSource } from '../../booking/ports.js';
import type { Clock } from '../../shared/clock.js';
import type { EpochMs } from '../../shared/time.js';

/**
 * Local (`npm start` + `npm run dr`): the DR state document in a JSON file. A missing file means DR was never
 * activated. One operator at a time: transitions are read-modify-write, unlike the DynamoDB item's conditional writes.
 */
export class FileDrStateStore implements DrStateStore {
  constructor(private readonly path: string) {}

  async current(): Promise<DrState> {
    try {
      return parseDrState(await readFile(this.path, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DR_INACTIVE;
      throw error;
    }
  }

  async activate(since: EpochMs): Promise<DrState> {
    return this.write(activated(await this.current(), since));
  }

  async beginFailback(expected: DrState, at: EpochMs): Promise<DrState> {
    return this.write(failingBack(await this.current(), expected, at));
  }

  async deactivate(expected: DrState): Promise<DrState> {
    return this.write(deactivated(await this.current(), expected));
  }

  /** Writes atomically (rename), so a reader never sees half a document. */
  private async write(state: DrState): Promise<DrState> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, serializeDrState(state));
    await rename(temporary, this.path);
    return state;
  }
}

/** Reads the source at most once per `ttlMs`; every write request needs the DR state, and it changes rarely. */
export class CachedDrStateSource implements DrStateSource {
  private cached?: { at: number; state: Promise<DrState> };

  constructor(
    private readonly inner: DrStateSource,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  current(): Promise<DrState> {
    const now = this.clock.now();
    if (!this.cached || now - this.cached.at >= this.ttlMs) {
      const state = this.inner.current();
      this.cached = { at: now, state };
      state.catch(() => (this.cached = undefined));
    }
    return this.cached.state;
  }
}
