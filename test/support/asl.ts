/**
 * A tiny interpreter for exactly the Amazon States Language constructs the failover workflow uses (Task with Retry
 * and Catch, Pass with Result, Choice on a boolean, `.$` paths into the input and the context object). Task results
 * come from a handler the test supplies, which may call real services (DynamoDB Local). It does not prove Step
 * Functions accepts the definition (`aws stepfunctions validate-state-machine-definition` does, with AWS access).
 */
type Json = Record<string, unknown>;

export class TaskFailure extends Error {
  constructor(readonly error: string) {
    super(error);
  }
}

export interface TaskCall {
  readonly state: string;
  readonly resource: string;
  readonly params: Json;
}

export interface RunContext {
  readonly Execution: { readonly StartTime: string; readonly Id: string };
  readonly State?: { readonly EnteredTime: string };
}

function path(root: unknown, expr: string): unknown {
  const parts = expr
    .replace(/^\$\$?\.?/, '')
    .split('.')
    .filter(Boolean);
  return parts.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), root);
}

function resolve(value: unknown, input: unknown, context: RunContext): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, input, context));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Json).map(([k, v]) => {
      if (!k.endsWith('.$')) return [k, resolve(v, input, context)];
      const expr = String(v);
      return [k.slice(0, -2), expr.startsWith('$$') ? path(context, expr) : path(input, expr)];
    }),
  );
}

function assign(input: unknown, resultPath: unknown, result: unknown): unknown {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === '$') return result;
  const key = String(resultPath).replace(/^\$\./, '');
  if (key.includes('.')) throw new Error(`nested ResultPath not supported: ${String(resultPath)}`);
  return { ...(input as Json), [key]: result };
}

export async function runStateMachine(
  definition: Json,
  handler: (call: TaskCall) => Promise<unknown>,
  context: RunContext,
  input: unknown = {},
): Promise<{ visited: string[]; calls: TaskCall[]; output: unknown }> {
  const states = definition['States'] as Record<string, Json>;
  const visited: string[] = [];
  const calls: TaskCall[] = [];
  let data = input;
  let name: string | undefined = String(definition['StartAt']);
  while (name) {
    visited.push(name);
    const s = states[name];
    if (!s) throw new Error(`no state ${name}`);
    const ctx = { ...context, State: { EnteredTime: context.Execution.StartTime } };
    switch (s['Type']) {
      case 'Pass':
        data = assign(data, s['ResultPath'], s['Result']);
        name = s['Next'] as string | undefined;
        break;
      case 'Choice': {
        const rule = (s['Choices'] as Json[]).find(
          (c) => 'BooleanEquals' in c && path(data, String(c['Variable'])) === c['BooleanEquals'],
        );
        name = String(rule ? rule['Next'] : s['Default']);
        break;
      }
      case 'Task': {
        const call = {
          state: name,
          resource: String(s['Resource']),
          params: resolve(s['Parameters'], data, ctx) as Json,
        };
        calls.push(call);
        try {
          data = assign(data, s['ResultPath'], await handler(call));
          name = s['End'] ? undefined : (s['Next'] as string);
        } catch (error) {
          if (!(error instanceof TaskFailure)) throw error;
          const retrier = ((s['Retry'] as Json[] | undefined) ?? []).find((r) =>
            (r['ErrorEquals'] as string[]).some((e) => e === error.error || e === 'States.ALL'),
          );
          const catcher = ((s['Catch'] as Json[] | undefined) ?? []).find((c) =>
            (c['ErrorEquals'] as string[]).some((e) => e === error.error || e === 'States.ALL'),
          );
          // Retries of transient errors are not simulated: a retrier with MaxAttempts 0 (or none) goes straight to Catch.
          if (retrier && retrier['MaxAttempts'] !== 0)
            throw new Error(`${name}: ${error.error} would be retried`, { cause: error });
          if (!catcher) throw new Error(`${name}: execution failed with ${error.error}`, { cause: error });
          data = assign(data, catcher['ResultPath'], { Error: error.error });
          name = String(catcher['Next']);
        }
        break;
      }
      default:
        throw new Error(`unsupported state type ${String(s['Type'])}`);
    }
  }
  return { visited, calls, output: data };
}
