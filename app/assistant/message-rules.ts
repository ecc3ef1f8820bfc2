import { DomainError } from '../shared/errors.js';

export const MESSAGE_REFUSALS = ['EMPTY', 'TOO_LONG', 'CONTROL', 'MARKUP'] as const;
export type MessageRefusal = (typeof MESSAGE_REFUSALS)[number];

// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** HTML tags and script URLs: a chat message is plain text (it is escaped anyway; this refuses it outright). */
const MARKUP = /<\s*\/?\s*[a-z!][^>]*>|javascript\s*:|\bon[a-z]+\s*=\s*["']/i;

/**
 * A person's chat message before it reaches the assistant: normalised, at most `maxChars` characters, plain text.
 * A refusal says why (`details.reason`) and nothing is stored or sent to a model.
 */
export function checkMessage(raw: string, maxChars: number): string {
  const text = raw.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  const refuse = (reason: MessageRefusal, message: string) =>
    new DomainError('VALIDATION_FAILED', message, { reason, max: maxChars });
  if (text === '') throw refuse('EMPTY', 'Type a message first.');
  if ([...text].length > maxChars) throw refuse('TOO_LONG', `Messages are limited to ${maxChars} characters.`);
  if (CONTROL.test(text)) throw refuse('CONTROL', 'The message contains control characters.');
  if (MARKUP.test(text)) throw refuse('MARKUP', 'Please send plain text, without HTML or scripts.');
  return text;
}
