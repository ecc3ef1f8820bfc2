import { GetParameterCommand, ParameterNotFound, type SSMClient } from '@aws-sdk/client-ssm';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DR_INACTIVE, type DrState } from '../../booking/dr.js';
import { parseDrState, serializeDrState } from '../../booking/dr-state-codec.js';
import type { DrStateSource } from '../../booking/ports.js';
import type { Clock } from '../../shared/clock.js';

/** AWS: the SSM parameter the failover workflow writes. A missing parameter means DR was never activated. */
export class SsmDrStateSource implements DrStateSource {
  constructor(
    private readonly ssm: SSMClient,
    private readonly parameterName: string,
  ) {}

  async current(): Promise<DrState> {
    try {
      const { Parameter } = await this.ssm.send(new GetParameterCommand({ Name: this.parameterName }));
      return Parameter?.Value ? parseDrState(Parameter.Value) : DR_INACTIVE;
    } catch (error) {
      if (error instanceof ParameterNotFound) return DR_INACTIVE;
      throw error;
    }
  }
}

/** Local: a JSON file written by `npm run dr`. A missing file means DR was never activated. */
export class FileDrStateSource implements DrStateSource {
  constructor(private readonly path: string) {}

  async current(): Promise<DrState> {
    try {
      return parseDrState(await readFile(this.path, 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DR_INACTIVE;
      throw error;
    }
  }

  /** Writes atomically (rename), so a reader never sees half a document. */
  async write(state: DrState): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, serializeDrState(state));
    await rename(temporary, this.path);
  }
}

/** Reads the source at most once per `ttlMs`; every request needs the DR state, the parameter changes rarely. */
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
