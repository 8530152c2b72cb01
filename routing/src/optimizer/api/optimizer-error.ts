/**
 * Errors of the optimizer's HTTP API: a machine-readable code, the message for dispatchers in Russian
 * (`message`) and the same in English (`message_en`), as the rest of the routing service answers
 * `{code, message}`.
 */
import { z } from 'zod';

export type OptimizerErrorCode =
  | 'InvalidJson'
  | 'InvalidInput'
  | 'Unsupported'
  | 'NoSegment'
  | 'TooBig'
  | 'NotFound'
  | 'DatabaseUnavailable'
  | 'Conflict'
  | 'Unauthorized'
  | 'Forbidden';

export interface OptimizerErrorBody {
  code: OptimizerErrorCode;
  message: string;
  message_en: string;
}

export class OptimizerInputError extends Error {
  override readonly name = 'OptimizerInputError';
  constructor(
    readonly code: OptimizerErrorCode,
    /** Russian, shown to dispatchers. */
    readonly messageRu: string,
    messageEn: string,
    /** HTTP status; 400 unless said otherwise. */
    readonly status = 400,
  ) {
    super(messageEn);
  }

  toBody(): OptimizerErrorBody {
    return { code: this.code, message: this.messageRu, message_en: this.message };
  }
}

/** `vehicles[0].shift.from` from a zod path. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  return out || '(тело запроса)';
}

const russian = z.locales.ru().localeError;

/**
 * Parses `input` with `schema`, or throws InvalidInput naming the first bad field in both languages
 * (zod's own Russian locale gives the Russian wording).
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const ru = schema.safeParse(input, { error: russian });
  const ruIssue = ru.success ? undefined : ru.error.issues[0];
  const where = formatPath(issue.path);
  throw new OptimizerInputError(
    'InvalidInput',
    `Ошибка во входных данных, поле ${where}: ${ruIssue?.message ?? issue.message}`,
    `Invalid input at ${where}: ${issue.message}`,
  );
}
