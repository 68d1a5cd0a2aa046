/** Fastify without per-request "incoming/completed" lines: the routes log what matters. */
import { LogController } from 'fastify';

export function quietRequestLogs(): LogController {
  return new LogController({ disableRequestLogging: true });
}
