import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where templates and static files are, in both layouts the app runs in: the source tree (app/… beside views/)
 * and the bundled artifact (server.mjs beside views/, public/ and vendor/htmx/).
 */
export interface AssetDirs {
  readonly views: string;
  readonly public: string;
  readonly htmx: string;
}

export function assetDirs(moduleUrl: string = import.meta.url): AssetDirs {
  const here = dirname(fileURLToPath(moduleUrl));
  for (const root of [join(here, '..'), here]) {
    if (existsSync(join(root, 'views', 'layouts', 'base.eta'))) {
      const bundledHtmx = join(root, 'vendor', 'htmx');
      return {
        views: join(root, 'views'),
        public: join(root, 'public'),
        htmx: existsSync(bundledHtmx) ? bundledHtmx : join(root, 'node_modules', 'htmx.org', 'dist'),
      };
    }
  }
  throw new Error(`views/ not found near ${here}`);
}
