import type { IncomingMessage, ServerResponse } from 'node:http';
import { UploadTargetConfigError } from './errors';
import {
  type Answer,
  errorAnswer,
  jsonAnswer,
  parseJson,
  readBody,
  type RequestBody,
  RequestError,
  sendAnswer,
} from './http';
import type { TargetState } from './TargetState';

/** Prefix of the control API; the bulk path may not live under it. */
export const CONTROL_PREFIX = '/_control';

const CONTROL_BODY_LIMIT = 1024 * 1024;

interface ControlRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: RegExp;
  respond(state: TargetState, input: ControlInput): Answer;
}

interface ControlInput {
  params: string[];
  body: () => unknown;
}

const ROUTES: ControlRoute[] = [
  {
    method: 'GET',
    pattern: /^\/_control\/stats$/,
    respond: state => jsonAnswer(200, state.store.stats()),
  },
  {
    method: 'GET',
    pattern: /^\/_control\/faults$/,
    respond: state => jsonAnswer(200, { faults: state.faults.pending() }),
  },
  {
    method: 'POST',
    pattern: /^\/_control\/faults$/,
    respond: (state, { body }) => {
      state.addFaults(body());
      return jsonAnswer(201, { faults: state.faults.pending() });
    },
  },
  {
    method: 'DELETE',
    pattern: /^\/_control\/faults$/,
    respond: state => {
      state.faults.clear();
      return jsonAnswer(200, { faults: [] });
    },
  },
  {
    method: 'GET',
    pattern: /^\/_control\/config$/,
    respond: state => jsonAnswer(200, state.config()),
  },
  {
    method: 'PUT',
    pattern: /^\/_control\/config$/,
    respond: (state, { body }) => {
      state.configure(body());
      return jsonAnswer(200, state.config());
    },
  },
  {
    method: 'GET',
    pattern: /^\/_control\/jobs\/([^/]+)\/records$/,
    respond: (state, { params }) =>
      jsonAnswer(200, { records: state.store.records(decodeJobId(params[0])) }),
  },
  {
    method: 'DELETE',
    pattern: /^\/_control\/data$/,
    respond: state => {
      state.store.reset();
      return jsonAnswer(200, state.store.stats());
    },
  },
];

/** Requests under `/_control`: how tests and curl steer the target. */
export async function handleControlRequest(
  state: TargetState,
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const candidates = ROUTES.filter(route => route.pattern.test(path));
  const route = candidates.find(candidate => candidate.method === req.method);
  const body = await readBody(req, CONTROL_BODY_LIMIT);

  if (candidates.length === 0) {
    sendAnswer(res, errorAnswer(404, `no control endpoint at ${path}`));
    return;
  }
  if (!route) {
    const allowed = candidates.map(candidate => candidate.method).join(', ');
    const answer = errorAnswer(405, `${req.method} is not allowed on ${path}`);
    sendAnswer(res, { ...answer, headers: { allow: allowed } });
    return;
  }

  const params = route.pattern.exec(path)?.slice(1) ?? [];
  sendAnswer(
    res,
    respond(route, state, { params, body: () => readJson(body) }),
  );
}

function respond(
  route: ControlRoute,
  state: TargetState,
  input: ControlInput,
): Answer {
  try {
    return route.respond(state, input);
  } catch (error) {
    if (error instanceof RequestError) {
      return errorAnswer(error.status, error.message);
    }
    if (error instanceof UploadTargetConfigError) {
      return errorAnswer(400, error.message);
    }
    throw error;
  }
}

function readJson(body: RequestBody): unknown {
  if (body.bytes === null) {
    throw new RequestError(
      413,
      `control request of ${body.size} bytes is over ${CONTROL_BODY_LIMIT}`,
    );
  }
  if (body.bytes.length === 0) {
    throw new RequestError(400, 'this control endpoint needs a JSON body');
  }
  return parseJson(body.bytes);
}

function decodeJobId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new RequestError(400, `job id ${segment} is not valid URL encoding`);
  }
}
