import { DomainError } from '../shared/errors.js';
import type { InputLocation } from './http.js';

/**
 * The errors Express and body-parser raise for a bad request, turned into the one error shape with a 4xx that names
 * the place. body-parser marks each with a `type`; the router marks a malformed percent-encoding in the path as a
 * `URIError` with status 400. Any other error carrying a 4xx status (say, a gzip body that does not inflate) is a 400
 * too, so a client mistake can never surface as a 500.
 */
interface FrameworkError {
  readonly status?: number;
  readonly type?: string;
  readonly charset?: string;
  readonly encoding?: string;
  readonly limit?: number;
}

const bounded = (value: string | undefined) => JSON.stringify((value ?? '').slice(0, 40));

const invalid = (where: InputLocation, message: string) =>
  new DomainError('VALIDATION_FAILED', `${where}: ${message}`, { fields: [{ in: where, field: '', message }] });

const BY_TYPE: Readonly<Record<string, (error: FrameworkError) => DomainError>> = {
  'entity.parse.failed': () => invalid('body', 'not valid JSON'),
  'request.aborted': () => invalid('body', 'the request ended before its body was complete'),
  'request.size.invalid': () => invalid('body', 'its length does not match Content-Length'),
  'entity.too.large': (e) =>
    new DomainError('PAYLOAD_TOO_LARGE', `body: larger than the ${Math.round((e.limit ?? 0) / 1024)} kB limit.`),
  'parameters.too.many': () => new DomainError('PAYLOAD_TOO_LARGE', 'body: too many parameters.'),
  'charset.unsupported': (e) =>
    new DomainError('UNSUPPORTED_MEDIA_TYPE', `body: charset ${bounded(e.charset)} is not supported; send UTF-8 JSON.`),
  'encoding.unsupported': (e) =>
    new DomainError(
      'UNSUPPORTED_MEDIA_TYPE',
      `body: Content-Encoding ${bounded(e.encoding)} is not supported; send identity, gzip, deflate or br.`,
    ),
  'entity.verify.failed': () => new DomainError('FORBIDDEN', 'body: refused.'),
};

/** The client mistake this framework error stands for, or undefined when it is not one (a real 500). */
export function clientErrorOf(error: unknown): DomainError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as FrameworkError;
  if (error instanceof URIError && e.status === 400) return invalid('path', 'malformed percent-encoding');
  if (e.type && BY_TYPE[e.type]) return BY_TYPE[e.type]!(e);
  if (typeof e.status !== 'number' || e.status < 400 || e.status > 499) return undefined;
  // e.g. a gzip body whose bytes do not inflate: body-parser passes zlib's error on with status 400 and no type.
  return invalid('body', 'could not be read (malformed encoding or data)');
}
