/**
 * A limit store's refusal as the error a client reads: which limit, its value, and when to retry
 * (Retry-After). The code decides the status and the "what to do" part of the message.
 */
import { GatewayError, type ErrorCode } from '../errors/codes.ts';
import type { LimitName, Refusal } from './limit-store.ts';

const CODE_OF: Record<LimitName, ErrorCode> = {
  rpm: 'rate_limited',
  tpm: 'rate_limited',
  concurrency: 'rate_limited',
  maxRequests: 'request_cap_reached',
  dailyBudgetUsd: 'budget_exceeded',
  monthlyBudgetUsd: 'budget_exceeded',
};

function what(refusal: Refusal): string {
  switch (refusal.refused) {
    case 'rpm':
      return `is at its limit of ${refusal.limit} requests per minute`;
    case 'tpm':
      return `is at its limit of ${refusal.limit} tokens per minute`;
    case 'concurrency':
      return `already has ${refusal.limit} requests running, its limit`;
    case 'maxRequests':
      return `has made all ${refusal.limit} requests of its lifetime cap`;
    case 'dailyBudgetUsd':
      return `has spent its daily budget of $${refusal.limit} (it resets at local midnight)`;
    case 'monthlyBudgetUsd':
      return `has spent its monthly budget of $${refusal.limit} (it resets on the 1st, local time)`;
  }
}

export function describeRefusal(caller: string, refusal: Refusal): GatewayError {
  const retry = refusal.retryAfterSeconds === undefined ? '' : `; retry in ${refusal.retryAfterSeconds} s`;
  return new GatewayError(CODE_OF[refusal.refused], `${caller} ${what(refusal)}${retry}`, { retryAfterSeconds: refusal.retryAfterSeconds });
}
