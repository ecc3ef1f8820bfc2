/**
 * The conversation's save per chat message, side by side in one process (bench:chat's API does one per message):
 * the document client's `PutCommand` (as the store sent it before) against the store's wire-form `PutItem` through
 * the client's stack resolved once (`sendWire`). Same item, same condition, same DynamoDB Local, alternating rounds;
 * CPU per save from `process.cpuUsage()` (this process: marshalling, the SDK's stack, signing, HTTP), so the figure
 * holds on a busy machine where wall time does not. Not a test.
 *
 *   npm run bench:conversation-save -- [--saves 300] [--rounds 6]
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoClient } from '../app/adapters/dynamodb/client.js';
import { DynamoConversationStore } from '../app/adapters/dynamodb/conversation-store.js';
import { ensureTables } from '../app/adapters/dynamodb/create-tables.js';
import { keys, ttlSeconds } from '../app/adapters/dynamodb/keys.js';
import { tableNamesFor } from '../app/adapters/dynamodb/tables.js';
import { startDynamoLocal } from '../app/adapters/local/dynamodb-local.js';
import { newConversation, remember, type ConversationState } from '../app/assistant/conversation.js';
import { parseIntegerFlags, usageOf } from './lib/flags.js';
import { machineInfo } from './lib/machine.js';
import { summarize } from './lib/stats.js';

const FLAGS = { '--saves': 'saves', '--rounds': 'rounds' } as const;
const args = parseIntegerFlags(
  { saves: 300, rounds: 6 },
  FLAGS,
  usageOf('npm run bench:conversation-save', FLAGS),
  {},
  process.argv.slice(2),
);

const local = await startDynamoLocal();
try {
  const connection = { region: 'ap-northeast-2', endpoint: local.endpoint };
  const db = createDocumentClient(connection);
  const tables = tableNamesFor(`benchsave-${process.pid}`);
  await ensureTables(createDynamoClient(connection), tables);
  const store = new DynamoConversationStore(db, tables);
  const now = Date.now();
  const expiresAt = now + 24 * 3600_000;
  // A conversation as bench:chat's people have it after a few messages: recent exchanges, a summary, offered seats.
  let state: ConversationState = newConversation('bench-save', 'ko', now, 'user-1');
  for (let i = 0; i < 3; i++) {
    state = remember(state, {
      user: `달빛 정원 토요일 저녁 R석 2명 (${i})`,
      assistant:
        '9월 5일 토요일 저녁 7시 공연, R석 2매 기준으로 나란히 앉으실 수 있는 좌석을 세 가지 찾았어요. '.repeat(3),
    });
  }
  const sides = {
    /** As the store sent it before: the document client marshals the item and resolves its stack per send. */
    'document client PutCommand (before)': (s: ConversationState, previous: number) =>
      db.send(
        new PutCommand({
          TableName: tables.sessions,
          Item: { ...keys.conversation(s.id), stateJson: JSON.stringify(s), turn: s.turn, ttl: ttlSeconds(expiresAt) },
          ConditionExpression: '#turn = :previous AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)',
          ExpressionAttributeNames: { '#turn': 'turn' },
          ExpressionAttributeValues: { ':previous': previous, ':now': now },
        }),
      ),
    'wire-form PutItem, stack resolved once (the store now)': (s: ConversationState, previous: number) =>
      store.commitIfUnchanged(s, previous, now, expiresAt),
  };
  let turn = 0;
  await db.send(
    new PutCommand({
      TableName: tables.sessions,
      Item: { ...keys.conversation(state.id), stateJson: '{}', turn, ttl: ttlSeconds(expiresAt) },
    }),
  );
  const perSave: Record<string, number[]> = {};
  console.log(`load average ${machineInfo().loadAverage}; ${args.saves} sequential saves per side per round`);
  for (let round = 0; round <= args.rounds; round++) {
    const names = Object.keys(sides) as (keyof typeof sides)[];
    for (const name of round % 2 === 0 ? names : names.reverse()) {
      const before = process.cpuUsage();
      for (let i = 0; i < args.saves; i++) {
        turn++;
        await sides[name]({ ...state, turn }, turn - 1);
      }
      const used = process.cpuUsage(before);
      // Round 0 warms both sides up (JIT, connections) and is not counted.
      if (round > 0) (perSave[name] ??= []).push((used.user + used.system) / 1000 / args.saves);
    }
  }
  console.log('\n| save | CPU ms per save, per round | mean | median |');
  console.log('| --- | --- | ---: | ---: |');
  for (const [name, values] of Object.entries(perSave)) {
    const s = summarize(values);
    console.log(
      `| ${name} | ${values.map((v) => v.toFixed(3)).join(' / ')} | ${s.mean.toFixed(3)} | ${s.p50.toFixed(3)} |`,
    );
  }
  const [before, after] = (Object.keys(sides) as (keyof typeof sides)[]).map((name) => summarize(perSave[name]!).mean);
  console.log(
    `\nwire form − document client: ${(after! - before!).toFixed(3)} ms CPU per save ` +
      `(${(after! / before!).toFixed(2)}×; under tsx, whose resolver both sides pay per request)`,
  );
} finally {
  await local.stop();
}
process.exit(0);
