/** The simulator's HTML pages: the payer's (portal, phone, KULU, link) and the dashboard. */
import { Hono } from 'hono';
import type { SimHono } from '../env.ts';
import { dashboard } from './dashboard.ts';
import { linkPage } from './link-page.ts';
import { phone } from './phone.ts';
import { portal } from './portal.ts';
import { telegramInbox } from './telegram-inbox.ts';

export const pages = new Hono<SimHono>();

pages.route('/', portal);
pages.route('/', phone);
pages.route('/', linkPage);
pages.route('/', dashboard);
pages.route('/', telegramInbox);
