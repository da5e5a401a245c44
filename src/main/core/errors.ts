// Errors the core reports to people. Each has a stable code for programs, an HTTP status for the REST
// API, and a message that says what is wrong and what to do. The IPC and REST layers turn them into
// `{ok: false, error: {code, message}}` and JSON bodies; anything else is a bug and is logged as one.

export class StationError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** Extra machine-readable detail for the response body (field issues, receipt ids). */
  details(): unknown {
    return undefined;
  }
}

export class NotFoundError extends StationError {
  constructor(message: string) {
    super('not_found', 404, message);
  }
}

export class ConflictError extends StationError {
  constructor(code: string, message: string, private readonly extra?: Record<string, unknown>) {
    super(code, 409, message);
  }
  override details(): unknown {
    return this.extra;
  }
}

export class UnavailableError extends StationError {
  constructor(code: string, message: string, private readonly extra?: Record<string, unknown>) {
    super(code, 503, message);
  }
  override details(): unknown {
    return this.extra;
  }
}

export class BadRequestError extends StationError {
  constructor(message: string) {
    super('bad_request', 400, message);
  }
}
