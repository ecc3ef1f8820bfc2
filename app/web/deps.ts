import type { ApiClient } from './api-client.js';
import type { Log } from '../shared/log.js';
import type { Renderer } from './render.js';

export interface WebDeps {
  readonly api: ApiClient;
  readonly render: Renderer;
  readonly region: string;
  readonly viewsDir: string;
  readonly publicDir: string;
  readonly htmxDir: string;
  readonly cookieSecure: boolean;
  readonly log: Log;
}
