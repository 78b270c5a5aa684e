/** Every route's description, in the order `/docs` shows them. */

import { mcpSpecs } from '../../mcp/spec.ts';
import { adminDeadLetterSpecs } from '../routes/admin/dead-letters.ts';
import { adminDiagnosticSpecs } from '../routes/admin/diagnostics.ts';
import { adminLinkSpecs } from '../routes/admin/links.ts';
import { adminPaymentSpecs } from '../routes/admin/payments.ts';
import { adminProductSpecs } from '../routes/admin/products.ts';
import { adminSummarySpecs } from '../routes/admin/summary.ts';
import { catalogSpecs } from '../routes/catalog.ts';
import { checkoutFormSpecs } from '../routes/checkout-form.ts';
import { healthSpecs } from '../routes/health.ts';
import { payerPageSpecs } from '../routes/payer-pages.ts';
import { paymentSpecs } from '../routes/payments.ts';
import { returnSpecs } from '../routes/return.ts';
import { sessionSpecs } from '../routes/session.ts';
import { webhookSpecs } from '../routes/webhooks.ts';
import type { RouteSpec } from '../spec.ts';

export const ROUTE_SPECS: RouteSpec[] = [
  ...catalogSpecs(),
  ...paymentSpecs(),
  ...returnSpecs(),
  ...payerPageSpecs(),
  ...checkoutFormSpecs(),
  ...webhookSpecs(),
  ...sessionSpecs(),
  ...adminPaymentSpecs(),
  ...adminSummarySpecs(),
  ...adminProductSpecs(),
  ...adminLinkSpecs(),
  ...adminDeadLetterSpecs(),
  ...adminDiagnosticSpecs(),
  ...mcpSpecs(),
  ...healthSpecs(),
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'Operations',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1' } },
  },
  {
    method: 'get',
    path: '/docs',
    tag: 'Operations',
    summary: 'This document, rendered',
    responses: { 200: { description: 'HTML', contentType: 'text/html' } },
  },
];
