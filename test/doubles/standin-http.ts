import type http from 'node:http';

/** JSON replies, and errors in vLLM's shape (`ErrorResponse`: object, message, type, param, code). */
export function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function vllmError(res: http.ServerResponse, status: number, type: string, message: string): void {
  send(res, status, { object: 'error', message, type, param: null, code: status });
}
