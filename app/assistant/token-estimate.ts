/**
 * A conservative token estimate for prompt sizing (the prompt-cache threshold) and for the fake Bedrock endpoint's
 * usage figures. Claude's tokenizer is not public: English prose and JSON average about 3.5 characters per token,
 * and Hangul is counted at one token per syllable (Korean costs far more tokens per character than English). Real
 * counts come back in ConverseStream's `metadata.usage` and land in the EMF metrics.
 */
const ASCII_CHARS_PER_TOKEN = 3.5;

export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / ASCII_CHARS_PER_TOKEN) + other;
}

/** Claude Haiku 4.5 caches a prefix only when at least this many tokens precede the cache point. */
export const MIN_CACHEABLE_TOKENS_HAIKU_4_5 = 4096;
