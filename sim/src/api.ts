/**
 * The Djomy API surface the simulator implements (docs/djomy.md#endpoints). Each
 * route goes through the gate (count, latency, partner domain, faults), then
 * the credential checks, then its handler. Anything else, payouts included
 * (docs/djomy.md#out-of-scope), is a 404 envelope.
 */
import { Hono } from 'hono';
import { issueToken, requireClient } from './auth.ts';
import type { SimHono } from './env.ts';
import { gate } from './gate.ts';
import { createLink, getLink, listLinks } from './links.ts';
import { listPayments } from './payment-list.ts';
import { confirmOtp, createDirectPayment, createGatewayPayment, paymentStatus } from './payments.ts';

export const api = new Hono<SimHono>();

api.post('/v1/auth', gate('auth'), issueToken);
api.post('/v1/payments', gate('createPayment'), requireClient, createDirectPayment);
api.post('/v1/payments/gateway', gate('createGateway'), requireClient, createGatewayPayment);
api.post('/v1/payments/:transactionId/confirmOTP', gate('confirmOtp'), requireClient, confirmOtp);
api.get('/v1/payments/:transactionId/status', gate('status'), requireClient, paymentStatus);
api.get('/v1/payments', gate('listPayments'), requireClient, listPayments);
api.post('/v1/links', gate('createLink'), requireClient, createLink);
api.get('/v1/links/:reference', gate('getLink'), requireClient, getLink);
api.get('/v1/links', gate('listLinks'), requireClient, listLinks);
