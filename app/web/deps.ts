import type { Clock } from '../shared/clock.js';
import type { Log } from '../shared/log.js';
import type { ApiClient } from './api-client.js';
import type { csrfProtection } from './csrf.js';
import type { PublicReads } from './public-reads.js';
import type { Renderer } from './render.js';
import type { SeatMapViews } from './seat-map.js';
import type { currentUser } from './session.js';
import type { Messages } from './i18n.js';
import type { Locale } from '../shared/i18n.js';

export interface WebDeps {
  readonly api: ApiClient;
  readonly reads: PublicReads;
  readonly render: Renderer;
  readonly seatMaps: SeatMapViews;
  readonly messages: Readonly<Record<Locale, Messages>>;
  readonly csrf: ReturnType<typeof csrfProtection>;
  readonly users: ReturnType<typeof currentUser>;
  readonly region: string;
  readonly publicDir: string;
  readonly htmxDir: string;
  readonly cookieSecure: boolean;
  readonly log: Log;
  /** The web tier's clock: what it says about time-dependent state (a closed cancellation window) it reads here. */
  readonly clock: Clock;
}
