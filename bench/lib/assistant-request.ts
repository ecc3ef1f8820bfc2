import type { ModelRequest } from '../../app/assistant/model.js';
import { catalogSnapshot } from '../../app/assistant/prompts/catalog-snapshot.js';
import { INSTRUCTIONS } from '../../app/assistant/prompts/instructions.js';
import { stablePrefix } from '../../app/assistant/prompts/request.js';
import { toolSpecOf } from '../../app/assistant/tools/define.js';
import { ASSISTANT_TOOLS } from '../../app/assistant/tools/index.js';
import { DEFAULT_CANCELLATION_POLICY } from '../../app/booking/cancellation-policy.js';
import { demoPerformances, demoVenues } from '../../app/catalog/index.js';

/** The model id and credentials the model-call benchmarks sign with (the fake checks neither). */
export const BENCH_MODEL_ID = 'global.anthropic.claude-haiku-4-5-20251001-v1:0';
export const BENCH_CREDENTIALS = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' };

const prefix = stablePrefix(
  ASSISTANT_TOOLS.map(toolSpecOf),
  INSTRUCTIONS,
  catalogSnapshot(demoPerformances('2026-11-20'), demoVenues, DEFAULT_CANCELLATION_POLICY),
);

/** A first model turn as the assistant builds it (see app/assistant/prompts/request.ts): ≈ 20 KB of JSON. */
export const ASSISTANT_REQUEST: ModelRequest = {
  system: [
    { text: prefix.system },
    { cachePoint: true },
    {
      text: '# Context (this conversation, now)\nNow: 2026년 12월 1일 (화) 14:03 KST (today 2026-12-01). Reply language: Korean.\nLogged in: yes. Step: choose_grade.\nChosen: show perf-moonlight (달빛 정원); 2 people.\nHold: none.',
    },
  ],
  tools: [...prefix.tools, { cachePoint: true }],
  messages: [
    { role: 'user', content: [{ text: '달빛 정원 보고 싶어요' }] },
    { role: 'assistant', content: [{ text: '달빛 정원은 12월 공연이 있습니다. 몇 분이세요?' }] },
    { role: 'user', content: [{ text: '두 명이요, R석으로 토요일 저녁' }] },
  ],
  maxOutputTokens: 1024,
  context: {},
};
