import type { ApiClient } from './api-client.js';
import type { Renderer } from './render.js';

export interface WebDeps {
  readonly api: ApiClient;
  readonly render: Renderer;
  readonly region: string;
  readonly viewsDir: string;
  readonly publicDir: string;
  readonly htmxDir: string;
  readonly cookieSecure: boolean;
  readonly log: (message: string, error?: unknown) => void;
}
