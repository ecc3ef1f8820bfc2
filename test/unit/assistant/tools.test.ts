import { expect } from 'chai';
import { TOOL_NAMES, toolSpecOf } from '../../../app/assistant/tools/define.js';
import { ASSISTANT_TOOLS } from '../../../app/assistant/tools/index.js';
import { ToolRunner } from '../../../app/assistant/tool-runner.js';

describe('assistant tools: one zod schema each is the JSON schema, the validation and the description', () => {
  it('exactly the ten tools of SPEC §5, in a fixed order (part of the cached prefix)', () => {
    expect(ASSISTANT_TOOLS.map((t) => t.name)).to.deep.equal([...TOOL_NAMES]);
  });

  it('each spec’s description is its schema’s description and its input schema is z.toJSONSchema of it', () => {
    for (const tool of ASSISTANT_TOOLS) {
      const spec = toolSpecOf(tool);
      expect(spec.description, tool.name).to.equal(tool.input.description);
      expect(spec.description.length, tool.name).to.be.greaterThan(40);
      expect(spec.inputSchema, tool.name).to.include({ type: 'object', additionalProperties: false });
      expect(spec.inputSchema, tool.name).not.to.have.property('$schema');
    }
  });

  it('no tool accepts a user id: tools act for the session’s user only', () => {
    for (const tool of ASSISTANT_TOOLS) {
      const properties = Object.keys((toolSpecOf(tool).inputSchema.properties ?? {}) as object);
      expect(
        properties.filter((p) => /user|email|owner/i.test(p)),
        tool.name,
      ).to.deep.equal([]);
    }
  });

  it('get_available_seats: count is bounded 1–4 and required, grade is a code, ids are bounded', () => {
    const schema = toolSpecOf(ASSISTANT_TOOLS.find((t) => t.name === 'get_available_seats')!).inputSchema as any;
    expect(schema.required).to.deep.equal(['scheduleId', 'count']);
    expect(schema.properties.count).to.include({ type: 'integer', minimum: 1, maximum: 4 });
    expect(schema.properties.grade.pattern).to.equal('^[A-Z]{1,4}$');
    expect(schema.properties.scheduleId).to.include({ type: 'string', minLength: 1, maxLength: 120 });
  });

  it('the runner refuses unknown tools, non-JSON input and schema violations without calling the tool', async () => {
    let called = 0;
    const spy = { ...ASSISTANT_TOOLS[0]!, run: async () => ((called += 1), {}) };
    const runner = new ToolRunner([spy], () => {});
    const ctx = {} as never;
    const unknown = await runner.run({ toolUseId: 't1', name: 'nope', input: {}, rawInput: '{}' }, ctx);
    const broken = await runner.run({ toolUseId: 't2', name: spy.name, input: undefined, rawInput: '{"q' }, ctx);
    const invalid = await runner.run({ toolUseId: 't3', name: spy.name, input: { genre: 'opera' }, rawInput: '' }, ctx);
    expect([unknown.code, broken.code, invalid.code]).to.deep.equal(['UNKNOWN_TOOL', 'INVALID_INPUT', 'INVALID_INPUT']);
    expect(invalid.result.toolResult.status).to.equal('error');
    expect(JSON.stringify(invalid.result.toolResult.content)).to.contain('genre');
    expect(called).to.equal(0);
    const ok = await runner.run({ toolUseId: 't4', name: spy.name, input: {}, rawInput: '{}' }, ctx);
    expect(ok.ok).to.equal(true);
    expect(called).to.equal(1);
  });
});
