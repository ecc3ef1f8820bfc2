import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'chai';
import {
  createDocumentClient,
  createDynamoClient,
  SDK_LOGGER_MIDDLEWARE,
} from '../../../app/adapters/dynamodb/client.js';

const names = (client: DynamoDBClient) => client.middlewareStack.identify().map((entry) => entry.split(' - ')[0]);

describe('DynamoDB client (adapters/dynamodb/client.ts)', () => {
  it('a plain SDK client carries the logger middleware under the name we remove (a rename in a new SDK fails here)', () => {
    expect(names(new DynamoDBClient({ region: 'ap-northeast-2' }))).to.include(SDK_LOGGER_MIDDLEWARE);
  });

  it('our clients have no logger middleware and keep every other step of the SDK stack', () => {
    const plain = names(new DynamoDBClient({ region: 'ap-northeast-2' }));
    const ours = names(createDynamoClient({ region: 'ap-northeast-2', endpoint: 'http://127.0.0.1:1' }));
    expect(ours).to.deep.equal(plain.filter((name) => name !== SDK_LOGGER_MIDDLEWARE));
  });

  it('a document client without it still sends, signs and unmarshalls: a GetItem answered by a stub returns the item', async () => {
    const db = createDocumentClient({ region: 'ap-northeast-2', endpoint: 'http://127.0.0.1:1' });
    const seen: { headers: Record<string, string>; body: string }[] = [];
    (db.config as { requestHandler: unknown }).requestHandler = {
      handle: async (request: { headers: Record<string, string>; body: string }) => {
        seen.push({ headers: request.headers, body: request.body });
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Readable.from([Buffer.from(JSON.stringify({ Item: { pk: { S: 'a' }, n: { N: '7' } } }))]),
          },
        };
      },
      updateHttpClientConfig: () => {},
      httpHandlerConfigs: () => ({}),
    };
    const { Item } = await db.send(new GetCommand({ TableName: 't', Key: { pk: 'a' } }));
    expect(Item).to.deep.equal({ pk: 'a', n: 7 });
    expect(seen).to.have.length(1);
    expect(seen[0]!.headers.authorization).to.match(/^AWS4-HMAC-SHA256 /);
    expect(JSON.parse(seen[0]!.body)).to.deep.equal({ TableName: 't', Key: { pk: { S: 'a' } } });
  });
});
