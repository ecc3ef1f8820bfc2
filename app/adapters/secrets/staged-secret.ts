import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

/**
 * Reads a Secrets Manager secret's value under each rotation label. AWSCURRENT must exist; AWSPENDING (a value being
 * rolled out) and AWSPREVIOUS (the value it replaced) are optional: Secrets Manager answers ResourceNotFoundException
 * for a label no version carries. Values are returned, never logged; only version ids are safe to show.
 *
 * The endpoint follows the SDK's conventions (AWS_ENDPOINT_URL_SECRETS_MANAGER), so a local fake plugs in without code.
 */
export const SECRET_STAGES = ['AWSCURRENT', 'AWSPENDING', 'AWSPREVIOUS'] as const;
export type SecretStage = (typeof SECRET_STAGES)[number];

export interface StagedValue {
  readonly value: string;
  readonly versionId: string;
}

export type StagedSecret = { readonly AWSCURRENT: StagedValue } & {
  readonly [S in Exclude<SecretStage, 'AWSCURRENT'>]?: StagedValue;
};

export class SecretReadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SecretReadError';
  }
}

export interface SecretsManagerConnection {
  readonly region: string;
  /** A local stand-in (tests); otherwise the SDK resolves AWS_ENDPOINT_URL_SECRETS_MANAGER or the regional endpoint. */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * The read happens once, at start: a short retry (the SDK's standard strategy: throttling, 5xx and network errors, up
 * to 4 attempts with jittered backoff) and bounded timeouts, so an unreachable endpoint fails the start within seconds
 * instead of hanging on the OS's TCP timeout. systemd restarts a process that failed to start.
 */
export function createSecretsManagerClient(connection: SecretsManagerConnection): SecretsManagerClient {
  return new SecretsManagerClient({
    region: connection.region,
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
    ...(connection.credentials ? { credentials: connection.credentials } : {}),
    maxAttempts: 4,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 },
  });
}

async function readStage(
  client: SecretsManagerClient,
  secretId: string,
  stage: SecretStage,
  variable: string,
): Promise<StagedValue> {
  let out;
  try {
    out = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }));
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new SecretReadError(`${variable}: could not read ${secretId} (${stage}): ${reason}`, { cause: error });
  }
  if (typeof out.SecretString !== 'string' || !out.VersionId) {
    throw new SecretReadError(`${variable}: ${secretId} (${stage}) has no string value`);
  }
  return { value: out.SecretString, versionId: out.VersionId };
}

/** A label that no version carries is simply absent; any other failure (access, network) is an error. */
function optionalStage(client: SecretsManagerClient, secretId: string, stage: SecretStage, variable: string) {
  return readStage(client, secretId, stage, variable).catch((error: unknown) => {
    if (error instanceof SecretReadError && error.cause instanceof ResourceNotFoundException) return undefined;
    throw error;
  });
}

/** `variable` names the setting that pointed at the secret: every error message starts with it. */
export async function readStagedSecret(
  client: SecretsManagerClient,
  secretId: string,
  variable: string,
): Promise<StagedSecret> {
  const [current, pending, previous] = await Promise.all([
    readStage(client, secretId, 'AWSCURRENT', variable),
    optionalStage(client, secretId, 'AWSPENDING', variable),
    optionalStage(client, secretId, 'AWSPREVIOUS', variable),
  ]);
  return {
    AWSCURRENT: current,
    ...(pending ? { AWSPENDING: pending } : {}),
    ...(previous ? { AWSPREVIOUS: previous } : {}),
  };
}

/**
 * What to log after reading a staged secret: version ids only, never values — what an operator checks after a
 * rotation.
 */
export function stagedVersions(secretId: string, secret: StagedSecret): Readonly<Record<string, string | undefined>> {
  return {
    secretId,
    signing: secret.AWSCURRENT.versionId,
    pending: secret.AWSPENDING?.versionId,
    previous: secret.AWSPREVIOUS?.versionId,
  };
}
