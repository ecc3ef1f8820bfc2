import { expect } from 'chai';
import type { Session, SessionStore } from '../../app/accounts/model.js';
import { AccountService, hashToken } from '../../app/accounts/service.js';
import { CachedSessionStore } from '../../app/adapters/cached-session-store.js';
import { DynamoSessionStore, DynamoUserStore } from '../../app/adapters/dynamodb/account-stores.js';
import { createFixture, TEST_SCRYPT, type Fixture } from '../support/fixture.js';

const WINDOW = 10_000;

/** The real DynamoDB session store, counting the reads that reach it (and able to hold one back). */
class CountingStore implements SessionStore {
  reads = 0;
  answered = 0;
  gate?: Promise<void>;
  constructor(private readonly inner: SessionStore) {}
  put(session: Session) {
    return this.inner.put(session);
  }
  async get(tokenHash: string) {
    this.reads++;
    const session = await this.inner.get(tokenHash);
    await this.gate;
    this.answered++;
    return session;
  }
  delete(tokenHash: string) {
    return this.inner.delete(tokenHash);
  }
}

/** Waits (a bounded number of event-loop turns) until the store has answered `count` reads and the cache took them. */
async function settled(store: CountingStore, count: number): Promise<void> {
  for (let turn = 0; turn < 1000 && store.answered < count; turn++) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setImmediate(r));
  expect(store.answered).to.equal(count);
}

describe('CachedSessionStore: two API instances over one DynamoDB Local sessions table', function () {
  this.timeout(60_000);
  let fx: Fixture;
  const instance = (maxEntries?: number, sessionMs = 14 * 24 * 3600 * 1000) => {
    const store = new CountingStore(new DynamoSessionStore(fx.db, fx.tables));
    const cache = new CachedSessionStore(store, fx.clock, WINDOW, maxEntries);
    const accounts = new AccountService({
      users: new DynamoUserStore(fx.db, fx.tables),
      sessions: cache,
      clock: fx.clock,
      sessionMs,
      scrypt: TEST_SCRYPT,
    });
    return { store, cache, accounts };
  };
  const signup = (accounts: AccountService, name: string) =>
    accounts.signup({ email: `${name}-${Math.random().toString(36).slice(2)}@example.com`, password: 'long enough' });

  before(async () => {
    fx = await createFixture('session-cache');
  });

  it('a token is read from DynamoDB once per window: repeat requests within 10 s cost no read, the next one reads', async () => {
    const [a, b] = [instance(), instance()];
    const { token, user } = await signup(a.accounts, 'window');
    // The instance that logged the user in already knows the session.
    expect((await a.accounts.authenticate(token))?.userId).to.equal(user.userId);
    expect(a.store.reads).to.equal(0);
    expect((await b.accounts.authenticate(token))?.userId).to.equal(user.userId);
    expect((await b.accounts.authenticate(token))?.userId).to.equal(user.userId);
    expect(b.store.reads).to.equal(1);
    fx.clock.advance(WINDOW);
    expect((await b.accounts.authenticate(token))?.userId).to.equal(user.userId);
    expect(b.store.reads).to.equal(2);
  });

  it('a session in use is read again in the background after half the window, so no request waits on it', async () => {
    const [a, b] = [instance(), instance()];
    const { token } = await signup(a.accounts, 'ahead');
    await b.accounts.authenticate(token); // the one read a request waits for
    fx.clock.advance(WINDOW / 2);
    expect(await b.accounts.authenticate(token)).to.not.equal(undefined); // served at once; a refresh starts
    expect(b.store.reads).to.equal(2);
    await settled(b.store, 2);
    // The first read is a full window old now, the refresh is not: served at once even while the table is slow.
    fx.clock.advance(WINDOW / 2);
    let open!: () => void;
    b.store.gate = new Promise((resolve) => (open = resolve));
    expect(await b.accounts.authenticate(token)).to.not.equal(undefined);
    b.store.gate = undefined;
    open();
    await settled(b.store, 3);
    // A background refresh also notices a logout made elsewhere.
    await a.accounts.logout(token);
    fx.clock.advance(WINDOW / 2);
    await b.accounts.authenticate(token);
    await settled(b.store, 4);
    expect(await b.accounts.authenticate(token)).to.equal(undefined);
  });

  it('logout cuts the token off at once on the instance that served it, and on others within the window', async () => {
    const [a, b] = [instance(), instance()];
    const { token } = await signup(a.accounts, 'logout');
    expect(await b.accounts.authenticate(token)).to.not.equal(undefined);
    await a.accounts.logout(token);
    expect(await a.accounts.authenticate(token)).to.equal(undefined);
    expect(await fx.accounts.authenticate(token), 'DynamoDB itself').to.equal(undefined);
    // The documented staleness: B read the session moments ago and may honour it for the rest of its window…
    fx.clock.advance(WINDOW - 1);
    expect(await b.accounts.authenticate(token)).to.not.equal(undefined);
    // …and not a millisecond longer.
    fx.clock.advance(1);
    expect(await b.accounts.authenticate(token)).to.equal(undefined);
  });

  it('a read that raced a logout on the same instance does not put the deleted session back in the cache', async () => {
    const a = instance();
    const { token } = await signup(a.accounts, 'race');
    fx.clock.advance(WINDOW); // what signup cached has aged out
    let open!: () => void;
    a.store.gate = new Promise((resolve) => (open = resolve));
    const inFlight = a.cache.get(hashToken(token)); // read before the delete…
    await new Promise((resolve) => setTimeout(resolve, 50));
    const logout = a.accounts.logout(token);
    open(); // …answers after it began
    expect(await inFlight).to.not.equal(undefined);
    await logout;
    a.store.gate = undefined;
    expect(await a.accounts.authenticate(token)).to.equal(undefined);
  });

  it('a session expiring inside the window is refused from its expiry on', async () => {
    const a = instance(undefined, WINDOW / 4);
    const { token, expiresAt } = await signup(a.accounts, 'expiry');
    fx.clock.set(expiresAt - 1);
    expect(await a.accounts.authenticate(token)).to.not.equal(undefined);
    fx.clock.set(expiresAt);
    expect(await a.accounts.authenticate(token)).to.equal(undefined);
    expect(a.store.reads).to.equal(0);
  });

  it('an unknown token is read once per 2 s however often it is retried, then read again; a login with it is found at once', async () => {
    const a = instance();
    for (let i = 0; i < 5; i++) expect(await a.accounts.authenticate('no-such-token')).to.equal(undefined);
    expect(a.store.reads, 'one read for five retries within 2 s').to.equal(1);
    fx.clock.advance(2_000);
    expect(await a.accounts.authenticate('no-such-token')).to.equal(undefined);
    expect(a.store.reads, 'read again after 2 s').to.equal(2);
    // A session written through this instance right after its token was looked up unknown is served at once.
    const token = 'written-after-a-miss';
    expect(await a.accounts.authenticate(token)).to.equal(undefined);
    const now = fx.clock.now();
    await a.cache.put({
      tokenHash: hashToken(token),
      userId: 'u-late',
      email: 'late@example.com',
      displayName: 'late',
      userCreatedAt: now,
      createdAt: now,
      expiresAt: now + 60_000,
    });
    expect((await a.accounts.authenticate(token))?.userId).to.equal('u-late');
  });

  it('remembers at most maxEntries unknown tokens: the oldest is read again', async () => {
    const a = instance(2);
    for (const token of ['x1', 'x2', 'x3']) await a.accounts.authenticate(token);
    expect(a.store.reads).to.equal(3);
    await a.accounts.authenticate('x3');
    await a.accounts.authenticate('x2');
    expect(a.store.reads).to.equal(3);
    await a.accounts.authenticate('x1');
    expect(a.store.reads).to.equal(4);
  });

  it('holds at most maxEntries sessions: the oldest is read again', async () => {
    const a = instance(2);
    const tokens = [];
    for (const name of ['m1', 'm2', 'm3']) tokens.push((await signup(a.accounts, name)).token);
    for (const token of tokens.slice(1)) await a.accounts.authenticate(token);
    expect(a.store.reads).to.equal(0);
    await a.accounts.authenticate(tokens[0]!);
    expect(a.store.reads).to.equal(1);
  });
});
