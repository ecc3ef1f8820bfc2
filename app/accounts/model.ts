import type { EpochMs } from '../shared/time.js';

export interface User {
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  readonly createdAt: EpochMs;
}

export interface Session {
  /** sha256 of the bearer token: a leaked sessions table does not yield usable tokens. */
  readonly tokenHash: string;
  readonly userId: string;
  readonly email: string;
  readonly displayName: string;
  /** When the account was created (what `GET /v1/me` shows), copied in so resolving a token is one read. */
  readonly userCreatedAt: EpochMs;
  /** When this session (login) started. */
  readonly createdAt: EpochMs;
  readonly expiresAt: EpochMs;
}

export interface UserStore {
  /** Claims the email and writes the user in one transaction; false when the email is already taken. */
  create(user: User, passwordHash: string): Promise<boolean>;
  findByEmail(email: string): Promise<{ user: User; passwordHash: string } | undefined>;
}

export interface SessionStore {
  put(session: Session): Promise<void>;
  get(tokenHash: string): Promise<Session | undefined>;
  delete(tokenHash: string): Promise<void>;
}
