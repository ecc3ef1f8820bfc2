import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Secrets Manager's GetSecretValue that speaks the real wire protocol (AWS JSON 1.1: `POST /`,
 * `X-Amz-Target: secretsmanager.GetSecretValue`, errors as `__type` + `x-amzn-ErrorType`), so the real
 * `@aws-sdk/client-secrets-manager` talks to it unchanged through `endpoint`. It checks that requests are SigV4-signed
 * for the secretsmanager service in the expected region, answers by label (VersionStage) or version id, and can fail
 * a number of requests (5xx) to exercise the client's retry.
 */
export interface FakeSecretVersion {
  readonly versionId: string;
  readonly value: string;
  readonly stages: readonly string[];
}

export interface FakeSecret {
  readonly arn: string;
  readonly name: string;
  versions: FakeSecretVersion[];
}

export interface FakeSecretsManager {
  readonly url: string;
  readonly requests: { target: string; region: string; body: Record<string, unknown> }[];
  /** Makes the next `count` requests answer 500 InternalServiceError (retryable). */
  failNext(count: number): void;
  /** Secret ids (name or ARN) this caller may not read: AccessDeniedException. */
  readonly denied: Set<string>;
  close(): Promise<void>;
}

export const FAKE_CREDENTIALS = { accessKeyId: 'AKIDFAKESECRETS', secretAccessKey: 'fake-secret-access-key' };

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': `fake-${Math.random().toString(16).slice(2)}`,
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(JSON.stringify(body));
}

const error = (res: ServerResponse, status: number, type: string, message: string) =>
  send(res, status, { __type: type, Message: message }, type);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeSecretsManager(options: {
  region: string;
  secrets: readonly FakeSecret[];
}): Promise<FakeSecretsManager> {
  const requests: FakeSecretsManager['requests'] = [];
  const denied = new Set<string>();
  let failures = 0;
  const find = (id: string) => options.secrets.find((s) => s.arn === id || s.name === id);

  const server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '');
      const auth = String(req.headers['authorization'] ?? '');
      const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      requests.push({ target, region: scope?.[2] ?? '', body });
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/x-amz-json-1.1') {
        return error(res, 400, 'SerializationException', 'expected POST application/x-amz-json-1.1');
      }
      if (!scope || scope[1] !== FAKE_CREDENTIALS.accessKeyId || scope[3] !== 'secretsmanager') {
        return error(res, 403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      }
      if (scope[2] !== options.region) {
        return error(res, 403, 'InvalidSignatureException', `Credential should be scoped to ${options.region}`);
      }
      if (failures > 0) {
        failures--;
        return error(res, 500, 'InternalServiceError', 'We encountered an internal error. Please try again.');
      }
      if (target !== 'secretsmanager.GetSecretValue') {
        return error(res, 400, 'UnknownOperationException', target);
      }
      const secretId = String(body['SecretId'] ?? '');
      const secret = find(secretId);
      if (denied.has(secretId)) {
        return error(res, 400, 'AccessDeniedException', `not authorized to perform secretsmanager:GetSecretValue`);
      }
      if (!secret)
        return error(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
      const stage = body['VersionId'] === undefined ? String(body['VersionStage'] ?? 'AWSCURRENT') : undefined;
      const version = secret.versions.find((v) =>
        stage ? v.stages.includes(stage) : v.versionId === body['VersionId'],
      );
      if (!version) {
        return error(
          res,
          400,
          'ResourceNotFoundException',
          `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
        );
      }
      send(res, 200, {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.versionId,
        SecretString: version.value,
        VersionStages: version.stages,
        CreatedDate: 1_767_225_600,
      });
    })().catch((e: unknown) => error(res, 500, 'InternalServiceError', String(e)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    denied,
    failNext: (count) => {
      failures = count;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
