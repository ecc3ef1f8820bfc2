import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Clock } from '../shared/clock.js';
import { brotliHead, brotliWithTail } from './brotli-tail.js';
import { GzipWithHoles, joinDeflated, type Deflated } from './gzip-splice.js';

/**
 * Where a shared page carries the visitor's CSRF token. The page is rendered with this mark instead of a token and
 * each response gets the visitor's own token in its place, so no visitor ever receives another's.
 */
export const TOKEN_MARK = `\u0001csrf-${randomBytes(8).toString('hex')}\u0001`;

/** Brotli needs every hole in a short tail (see brotli-tail.ts); a page with a hole earlier is sent as gzip. */
const BROTLI_TAIL_MAX = 8 * 1024;

/** A run of page text, or a large region of it that is already deflated (the seat grid, compressed per state). */
export type Segment = string | { readonly text: string; readonly deflated: Deflated };

type Encoding = 'br' | 'gzip' | 'identity';

/** One rendered page, ready to be sent to any anonymous visitor once their token is filled in. */
export class SharedPage {
  /** The page split at the token marks, as UTF-8. */
  private readonly pieces: readonly Buffer[];
  private readonly gzip: GzipWithHoles;
  /** Whether brotli can be offered: every hole is in a short tail. */
  private readonly brotliable: boolean;
  private brotli?: Promise<void>;
  private br?: Buffer;
  readonly bytes: number;

  constructor(
    readonly status: number,
    readonly headers: Readonly<Record<string, string>>,
    segments: readonly Segment[],
    /** The route pattern that rendered it, for the request log of a response sent before the router runs. */
    readonly route?: string,
  ) {
    this.pieces = segments
      .map((s) => (typeof s === 'string' ? s : s.text))
      .join('')
      .split(TOKEN_MARK)
      .map((text) => Buffer.from(text));
    this.gzip = new GzipWithHoles(deflatedPieces(segments));
    this.bytes = this.pieces.reduce((sum, p) => sum + p.length, 0) + this.gzip.bytes;
    const tail = this.pieces.slice(1).reduce((sum, p) => sum + p.length, 0);
    this.brotliable = tail <= BROTLI_TAIL_MAX;
  }

  /**
   * The body in `encoding` with `token` in every hole: a few copies, no compression. Brotli is made only once a page
   * is asked for again (a URL seen once never costs it), off the event loop (libuv's pool); until it is ready,
   * brotli-accepting visitors get gzip.
   */
  body(encoding: Encoding, token: string): { encoding: Encoding; body: Buffer } {
    const fill = Buffer.from(token);
    if (encoding === 'br' && this.br) return { encoding, body: brotliWithTail(this.br, this.filled(fill, 1)) };
    if (encoding === 'br' && this.brotliable && !this.brotli) {
      this.brotli = brotliHead(this.pieces[0]!).then(
        (head) => void (this.br = head),
        () => undefined, // brotli is an optimisation: on failure the page keeps being sent as gzip
      );
    }
    if (encoding !== 'identity') return { encoding: 'gzip', body: this.gzip.fill(fill) };
    return { encoding, body: this.filled(fill, 0) };
  }

  /** The raw page from piece `from` on, each hole filled (from 1: the tail after the first piece, hole first). */
  private filled(fill: Buffer, from: number): Buffer {
    const parts: Buffer[] = [];
    for (let i = from; i < this.pieces.length; i++) {
      if (i > 0) parts.push(fill);
      parts.push(this.pieces[i]!);
    }
    return Buffer.concat(parts);
  }

  /** Settles when the brotli head asked for by a `body('br')` is ready (tests wait for it). */
  get brotliDone(): Promise<void> {
    return this.brotli ?? Promise.resolve();
  }
}

/** The gzip pieces between token marks; a pre-deflated segment is spliced in as it is. */
function deflatedPieces(segments: readonly Segment[]): Deflated[] {
  const pieces: Deflated[] = [];
  let current: (string | Deflated)[] = [];
  const close = () => {
    pieces.push(current.length === 1 && typeof current[0] !== 'string' ? current[0]! : joinDeflated(current));
    current = [];
  };
  for (const segment of segments) {
    if (typeof segment !== 'string') {
      current.push(segment.deflated);
      continue;
    }
    segment.split(TOKEN_MARK).forEach((text, i) => {
      if (i > 0) close();
      if (text !== '') current.push(text);
    });
  }
  close();
  return pieces;
}

/**
 * Whole pages for anonymous visitors (SPEC §8: what 1,000 viewers see must not cost 1,000 renders). A page is
 * stored under what it depends on — the request (path and query, language, htmx target, DR banner) and the
 * `version` of its data, which the route derives from the cached reads it used — and is rendered and compressed
 * once per version: a new seat state is a new version. Entries also expire after `maxAgeMs` and the cache holds at
 * most `maxBytes`, least recently used dropped first.
 *
 * `recent` answers without a version for `recheckMs` after the route last confirmed the page's version (the front
 * of the web app's stack, `sharedPageFastPath`): that is the only staleness the cache adds, bounded by `recheckMs`
 * (a fraction of the read caches' periods; 0 turns it off).
 */
export class SharedPages {
  private readonly entries = new Map<string, { version: string; at: number; checkedAt: number; page: SharedPage }>();
  private bytes = 0;

  constructor(
    private readonly clock: Clock,
    private readonly options: { maxAgeMs: number; maxBytes: number; recheckMs?: number } = {
      maxAgeMs: 5_000,
      maxBytes: 32 * 2 ** 20,
    },
  ) {}

  get(key: string, version: string): SharedPage | undefined {
    const entry = this.entries.get(key);
    const now = this.clock.now();
    if (!entry || entry.version !== version || now - entry.at >= this.options.maxAgeMs) return undefined;
    entry.checkedAt = now;
    // Most recently used last, so eviction drops pages nobody asks for (e.g. one-off query strings) first.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.page;
  }

  /** The page kept under `key` if its route confirmed its version less than `recheckMs` ago. */
  recent(key: string): SharedPage | undefined {
    const recheckMs = this.options.recheckMs ?? 0;
    if (recheckMs <= 0) return undefined;
    const entry = this.entries.get(key);
    const now = this.clock.now();
    if (!entry || now - entry.checkedAt >= recheckMs || now - entry.at >= this.options.maxAgeMs) return undefined;
    return entry.page;
  }

  put(key: string, version: string, page: SharedPage): void {
    this.remove(key);
    const now = this.clock.now();
    this.entries.set(key, { version, at: now, checkedAt: now, page });
    this.bytes += page.bytes;
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.options.maxBytes) break;
      this.remove(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.page.bytes;
  }
}

/** Sends a shared page to one visitor, with their token and in the best encoding they accept. */
export function sendShared(req: Request, res: Response, page: SharedPage, token: string): void {
  const { encoding, body } = page.body(preferredEncoding(req.get('accept-encoding')), token);
  res.status(page.status);
  for (const [name, value] of Object.entries(page.headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
  res.setHeader('Content-Length', body.length);
  res.end(body);
}

/** br when accepted at least as much as gzip, then gzip, else identity (q=0 means "not this one"). */
export function preferredEncoding(header: string | undefined): Encoding {
  const q = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const weight = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name) q.set(name, weight === undefined ? 1 : Number(weight.slice(2)) || 0);
  }
  const br = q.get('br') ?? q.get('*') ?? 0;
  const gzip = q.get('gzip') ?? q.get('x-gzip') ?? q.get('*') ?? 0;
  if (br > 0 && br >= gzip) return 'br';
  return gzip > 0 ? 'gzip' : 'identity';
}

const ids = new WeakMap<object, number>();
let lastId = 0;

/**
 * A version for a page built from `parts`: the public read caches hand out the same object until they load a new
 * one (an unchanged seat state revalidated by ETag stays the same object), so object identity is the version.
 */
export function versionOf(...parts: readonly object[]): string {
  return parts
    .map((part) => {
      let id = ids.get(part);
      if (id === undefined) ids.set(part, (id = ++lastId));
      return id;
    })
    .join('.');
}
