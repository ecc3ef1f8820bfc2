let clients = 0;

/**
 * A browser stand-in for HTTP tests of the web tier: keeps cookies, reads the CSRF token from the last page it got,
 * and submits forms the way a browser without JavaScript would (urlencoded, no redirects followed unless asked).
 */
export class WebClient {
  readonly cookies = new Map<string, string>();
  csrf = '';
  lastHtml = '';

  /**
   * Each client is its own "browser" with its own address (the web tier trusts the loopback proxy's
   * X-Forwarded-For), so the API's per-IP limits see different people, as they would in production.
   */
  constructor(
    readonly base: string,
    readonly ip = `198.51.${Math.floor(++clients / 250) % 250}.${(clients % 250) + 1}`,
  ) {}

  /** The same browser (cookies, last token, address) reaching another web instance, as a load balancer would send it. */
  via(base: string): WebClient {
    const other = new WebClient(base, this.ip);
    for (const [k, v] of this.cookies) other.cookies.set(k, v);
    other.csrf = this.csrf;
    return other;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response & { html: string }> {
    const response = await fetch(new URL(path, this.base), {
      headers: { cookie: this.cookieHeader(), 'x-forwarded-for': this.ip, ...headers },
      redirect: 'manual',
    });
    return this.keep(response);
  }

  /** Posts a form; `_csrf` is the token of the last page unless the test passes its own (or null for none). */
  async post(
    path: string,
    fields: Record<string, string | string[]> = {},
    options: { csrf?: string | null; headers?: Record<string, string> } = {},
  ): Promise<Response & { html: string }> {
    const body = new URLSearchParams();
    const token = options.csrf === undefined ? this.csrf : options.csrf;
    if (token !== null) body.set('_csrf', token);
    for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
    const response = await fetch(new URL(path, this.base), {
      method: 'POST',
      headers: {
        cookie: this.cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': this.ip,
        ...options.headers,
      },
      body,
      redirect: 'manual',
    });
    return this.keep(response);
  }

  /** Signs up through the web form (after loading it for the CSRF cookie and token). */
  async signUp(email: string, password = 'correct horse battery', displayName?: string) {
    await this.get('/signup');
    return this.post('/signup', { email, password, ...(displayName ? { displayName } : {}), next: '/' });
  }

  private async keep(response: Response): Promise<Response & { html: string }> {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair!.split('=');
      const expired = attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value.join('='));
    }
    const html = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (token) this.csrf = token;
    this.lastHtml = html;
    return Object.assign(response, { html });
  }
}
