/**
 * The one error shape of every HTTP answer (protocol: `{"error": {"code", "message",
 * "details"?}}`), and the mapping of Fastify's own errors into it.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export function sendError(reply: FastifyReply, status: number, code: string, message: string, details?: unknown): FastifyReply {
  return reply.code(status).send({ error: details === undefined ? { code, message } : { code, message, details } });
}

export function httpErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const code = error.code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
    const advice = request.url.startsWith('/api/v1/photos/') ? 'a photo may be at most 16 MiB.' : 'send fewer events per batch.';
    return sendError(reply, 413, 'PAYLOAD_TOO_LARGE', `The request body is larger than 16 MiB after decompression: ${advice}`);
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return sendError(reply, 400, 'BAD_REQUEST', 'Send the body as JSON with "Content-Type: application/json".');
  }
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR' || /incorrect header check|unexpected end of file/i.test(error.message)) {
    return sendError(reply, 400, 'BAD_REQUEST', 'The body says Content-Encoding: gzip but is not valid gzip.');
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return sendError(reply, 400, 'BAD_REQUEST', `The request could not be read: ${error.message}`);
  }
  request.log.error({ err: error }, 'request failed');
  return sendError(reply, 500, 'INTERNAL', 'The station failed to process this request and stored nothing from it; try again, and tell the supervisor if it keeps failing.');
}
