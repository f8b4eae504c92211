/** The SLA policy (`/nc-api/v1/sla/policy`) and the live status of open conversations (`/api/v1/sla/status`). */
import { api, send } from './client.js';
import type { SlaPolicy, SlaStatus } from './types.js';

export const getSlaPolicy = (signal?: AbortSignal): Promise<SlaPolicy> => send(api().GET('/nc-api/v1/sla/policy', { signal }));

export const saveSlaPolicy = ({ first_response_minutes, resolution_minutes, business_hours }: SlaPolicy): Promise<SlaPolicy> =>
  send(
    api().PUT('/nc-api/v1/sla/policy', { body: { first_response_minutes, resolution_minutes, business_hours: business_hours ?? null } }),
  );

export const getSlaStatus = (signal?: AbortSignal): Promise<SlaStatus> => send(api().GET('/api/v1/sla/status', { signal }));
