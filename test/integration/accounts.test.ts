import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { DEFAULT_SCRYPT, hashPassword, verifyPassword } from '../../app/accounts/passwords.js';
import { hashToken } from '../../app/accounts/service.js';
import { DomainError } from '../../app/shared/errors.js';
import { DAY, signUp } from '../support/builders.js';
import { refusal } from '../support/refusal.js';
import { createFixture, type Fixture } from '../support/fixture.js';

const PASSWORD = 'correct horse battery';

describe('AccountService against DynamoDB Local', function () {
  this.timeout(120_000);
  let fx: Fixture;
  before(async () => {
    fx = await createFixture('accounts');
  });

  async function scan(table: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await fx.db.send(
        new ScanCommand({ TableName: table, ExclusiveStartKey: startKey, ConsistentRead: true }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  it('10 concurrent sign-ups with one email → exactly one account, 9 × EMAIL_TAKEN, one email claim and one user item', async () => {
    const email = `race-${Date.now()}@example.com`;

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        fx.accounts.signup({ email, password: PASSWORD, displayName: `racer ${i}` }),
      ),
    );

    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(won).to.have.length(1);
    for (const r of results) {
      if (r.status === 'rejected') {
        expect(r.reason).to.be.instanceOf(DomainError);
        expect((r.reason as DomainError).code).to.equal('EMAIL_TAKEN');
      }
    }
    const items = (await scan(fx.tables.users)).filter((i) => i.email === email);
    expect(items.filter((i) => String(i.pk).startsWith('EMAIL#')).map((i) => i.pk)).to.deep.equal([`EMAIL#${email}`]);
    expect(items.filter((i) => String(i.pk).startsWith('USER#')).map((i) => i.userId)).to.deep.equal([
      won[0]!.user.userId,
    ]);
    // The winner can log in with their password.
    const login = await fx.accounts.login({ email, password: PASSWORD });
    expect(login.user.userId).to.equal(won[0]!.user.userId);
  });

  it('login with the right password → a token that authenticate resolves to the user', async () => {
    const { userId, email } = await signUp(fx, 'login');

    const signedIn = await fx.accounts.login({ email, password: PASSWORD });

    expect(signedIn.user.userId).to.equal(userId);
    expect(signedIn.expiresAt).to.equal(fx.clock.now() + 14 * DAY);
    const user = await fx.accounts.authenticate(signedIn.token);
    expect(user).to.deep.include({ userId, email });
  });

  it('wrong password and unknown email → both INVALID_CREDENTIALS with the same message, no session written', async () => {
    const { email } = await signUp(fx, 'wrong');
    const sessionsBefore = (await scan(fx.tables.sessions)).length;

    const wrongPassword = await refusal(fx.accounts.login({ email, password: 'not the password' }));
    const unknownEmail = await refusal(
      fx.accounts.login({ email: `nobody-${Date.now()}@example.com`, password: PASSWORD }),
    );

    expect(wrongPassword.code).to.equal('INVALID_CREDENTIALS');
    expect(unknownEmail.code).to.equal('INVALID_CREDENTIALS');
    expect(unknownEmail.message).to.equal(wrongPassword.message);
    expect(wrongPassword.details).to.equal(unknownEmail.details);
    expect(wrongPassword.message).not.to.match(/password is wrong|no account|not found|unknown/i);
    expect((await scan(fx.tables.sessions)).length).to.equal(sessionsBefore);
  });

  it('a session past its expiry (clock + 15 days) does not authenticate', async () => {
    const { token, userId } = await signUp(fx, 'expiry');
    expect((await fx.accounts.authenticate(token))?.userId).to.equal(userId);

    fx.clock.advance(15 * DAY);

    expect(await fx.accounts.authenticate(token)).to.equal(undefined);
  });

  it('logout deletes the session item: the token no longer authenticates', async () => {
    const { token, userId } = await signUp(fx, 'logout');
    expect((await fx.accounts.authenticate(token))?.userId).to.equal(userId);

    await fx.accounts.logout(token);

    expect(await fx.accounts.authenticate(token)).to.equal(undefined);
    const { Item } = await fx.db.send(
      new GetCommand({
        TableName: fx.tables.sessions,
        Key: { pk: `SESSION#${hashToken(token)}` },
        ConsistentRead: true,
      }),
    );
    expect(Item).to.equal(undefined);
  });

  it('the sessions table stores sha256(token) as the key and never the raw token', async () => {
    const { token, userId } = await signUp(fx, 'hash');
    const sha = createHash('sha256').update(token).digest('hex');

    const items = await scan(fx.tables.sessions);

    const mine = items.filter((i) => i.userId === userId);
    expect(mine.map((i) => [i.pk, i.tokenHash])).to.deep.equal([[`SESSION#${sha}`, sha]]);
    for (const item of items) expect(JSON.stringify(item)).not.to.contain(token);
    expect(typeof mine[0]?.ttl).to.equal('number');
  });

  it('no password is stored in clear: the user items carry only an scrypt hash', async () => {
    const { email } = await signUp(fx, 'clear');
    const items = (await scan(fx.tables.users)).filter((i) => i.email === email);
    expect(items).to.have.length(2);
    for (const item of items) expect(JSON.stringify(item)).not.to.contain(PASSWORD);
    expect(String(items.find((i) => String(i.pk).startsWith('EMAIL#'))?.passwordHash)).to.match(/^scrypt\$/);
  });

  it('production scrypt parameters (N=2^15, r=8, p=1): the hash verifies the password and rejects a wrong one', async () => {
    const encoded = await hashPassword(PASSWORD, DEFAULT_SCRYPT);
    expect(encoded).to.match(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword(PASSWORD, encoded)).to.equal(true);
    expect(await verifyPassword(`${PASSWORD}!`, encoded)).to.equal(false);
  });
});
