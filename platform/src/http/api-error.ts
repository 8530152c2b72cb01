/**
 * Every error the API returns: a machine-readable `code`, a Russian `message` (the UI speaks Russian
 * first), the same in English as `message_en`, and optional `details` (e.g. validation issues).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageRu: string,
    readonly messageEn: string,
    readonly details?: unknown,
    /** Response headers the error needs (e.g. `Retry-After` of a 429). */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(messageEn);
  }

  toBody(): ErrorBody {
    return {
      code: this.code,
      message: this.messageRu,
      message_en: this.messageEn,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export interface ErrorBody {
  code: string;
  message: string;
  message_en: string;
  details?: unknown;
}

export interface ValidationIssue {
  /** Where: 'body', 'query', 'params', or 'row N' for imports. */
  in: string;
  path: string;
  message: string;
}

export const apiErrors = {
  validation: (details: ValidationIssue[]) =>
    new ApiError(422, 'VALIDATION_FAILED', 'Неверные данные запроса', 'Invalid request data', details),
  badJson: () =>
    new ApiError(400, 'MALFORMED_BODY', 'Тело запроса не является JSON', 'Request body is not JSON'),
  bodyTooLarge: (limitBytes: number) =>
    new ApiError(413, 'BODY_TOO_LARGE', 'Тело запроса слишком велико', 'Request body too large', {
      limitBytes,
    }),
  unauthenticated: () =>
    new ApiError(401, 'UNAUTHENTICATED', 'Требуется вход в систему', 'Authentication required'),
  badCredentials: () =>
    new ApiError(401, 'INVALID_CREDENTIALS', 'Неверный логин или пароль', 'Wrong login or password'),
  badRefreshToken: () =>
    new ApiError(401, 'INVALID_REFRESH_TOKEN', 'Сеанс истёк, войдите снова', 'Session expired, log in again'),
  refreshTokenReused: () =>
    new ApiError(
      401,
      'REFRESH_TOKEN_REUSED',
      'Обнаружено повторное использование токена; все сеансы этой цепочки завершены',
      'Refresh token reuse detected; the whole session family is revoked',
    ),
  forbidden: () => new ApiError(403, 'FORBIDDEN', 'Недостаточно прав', 'Not allowed for your role'),
  notFound: () => new ApiError(404, 'NOT_FOUND', 'Объект не найден', 'Not found'),
  routeNotFound: () => new ApiError(404, 'ROUTE_NOT_FOUND', 'Нет такого адреса API', 'No such API route'),
  methodNotAllowed: () =>
    new ApiError(405, 'METHOD_NOT_ALLOWED', 'Метод не поддерживается', 'Method not allowed'),
  unsupportedMediaType: (expected: string[]) =>
    new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Неподдерживаемый формат данных', 'Unsupported media type', {
      expected,
    }),
  duplicate: (constraint?: string) =>
    new ApiError(409, 'ALREADY_EXISTS', 'Такая запись уже существует', 'Such a record already exists', {
      constraint,
    }),
  referenceNotFound: (constraint?: string) =>
    new ApiError(
      422,
      'REFERENCE_NOT_FOUND',
      'Ссылка на несуществующий объект',
      'Reference to a missing record',
      {
        constraint,
      },
    ),
  inUse: (constraint?: string) =>
    new ApiError(
      409,
      'IN_USE',
      'Объект используется другими записями и не может быть удалён',
      'The record is referenced by others and cannot be deleted',
      { constraint },
    ),
  constraint: (constraint?: string) =>
    new ApiError(422, 'CONSTRAINT_VIOLATION', 'Значения противоречат правилам', 'Values break a rule', {
      constraint,
    }),
  internal: () => new ApiError(500, 'INTERNAL', 'Внутренняя ошибка сервера', 'Internal server error'),
};

interface PgLikeError {
  code?: unknown;
  constraint?: unknown;
  detail?: unknown;
}

/** Maps PostgreSQL integrity errors (the last line of defence) to client errors. */
export function fromDatabaseError(error: unknown): ApiError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, constraint, detail } = error as PgLikeError;
  const name = typeof constraint === 'string' ? constraint : undefined;
  switch (code) {
    case '23505':
      return apiErrors.duplicate(name);
    case '23503':
      return typeof detail === 'string' && detail.includes('still referenced')
        ? apiErrors.inUse(name)
        : apiErrors.referenceNotFound(name);
    case '23514':
    case '23502':
    case '22003':
      return apiErrors.constraint(name);
    default:
      return undefined;
  }
}
