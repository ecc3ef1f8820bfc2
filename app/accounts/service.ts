import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import { retryOnRace } from '../shared/concurrency.js';
import { DomainError } from '../shared/errors.js';
import type { SignupInput, LoginInput } from './inputs.js';
import type { Session, SessionStore, User, UserStore } from './model.js';
import { hashPassword, verifyPassword, type ScryptParams, DEFAULT_SCRYPT } from './passwords.js';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface SignedIn {
  readonly user: User;
  readonly token: string;
  readonly expiresAt: number;
}

const INVALID_CREDENTIALS = 'Email or password is incorrect.';

export class AccountService {
  /** Verified against when the email is unknown, so a miss costs the same time as a wrong password. */
  private readonly decoyHash: Promise<string>;

  constructor(
    private readonly deps: {
      users: UserStore;
      sessions: SessionStore;
      clock: Clock;
      sessionMs: number;
      scrypt?: ScryptParams;
    },
  ) {
    this.decoyHash = hashPassword(randomUUID(), deps.scrypt ?? DEFAULT_SCRYPT);
  }

  async signup(input: SignupInput): Promise<SignedIn> {
    const now = this.deps.clock.now();
    const user: User = {
      userId: randomUUID(),
      email: input.email,
      displayName: input.displayName ?? input.email.split('@')[0]!,
      createdAt: now,
    };
    const passwordHash = await hashPassword(input.password, this.deps.scrypt ?? DEFAULT_SCRYPT);
    // A conflict with a concurrent sign-up is retried: its claim either landed (EMAIL_TAKEN) or did not.
    if (!(await retryOnRace(() => this.deps.users.create(user, passwordHash)))) {
      throw new DomainError('EMAIL_TAKEN', 'An account with this email already exists. Log in instead.');
    }
    return this.startSession(user);
  }

  async login(input: LoginInput): Promise<SignedIn> {
    const found = await this.deps.users.findByEmail(input.email);
    const ok = await verifyPassword(input.password, found?.passwordHash ?? (await this.decoyHash));
    if (!found || !ok) throw new DomainError('INVALID_CREDENTIALS', INVALID_CREDENTIALS);
    return this.startSession(found.user);
  }

  async logout(token: string): Promise<void> {
    await this.deps.sessions.delete(hashToken(token));
  }

  /** Resolves a bearer token to its user; TTL deletion lags, so expiry is checked here too. */
  async authenticate(token: string | undefined): Promise<User | undefined> {
    if (!token || token.length > 200) return undefined;
    const session = await this.deps.sessions.get(hashToken(token));
    if (!session || session.expiresAt <= this.deps.clock.now()) return undefined;
    return {
      userId: session.userId,
      email: session.email,
      displayName: session.displayName,
      createdAt: session.userCreatedAt,
    };
  }

  private async startSession(user: User): Promise<SignedIn> {
    const token = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    const session: Session = {
      tokenHash: hashToken(token),
      userId: user.userId,
      email: user.email,
      displayName: user.displayName,
      userCreatedAt: user.createdAt,
      createdAt: now,
      expiresAt: now + this.deps.sessionMs,
    };
    await this.deps.sessions.put(session);
    return { user, token, expiresAt: session.expiresAt };
  }
}
