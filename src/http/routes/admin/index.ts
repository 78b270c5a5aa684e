/**
 * The admin API, mounted at `/api/admin`: every route behind a token or the
 * console session (src/http/routers.ts). The cashier (VIEWER_TOKEN) reads
 * everything; of the writes, it may only ask Djomy again about a payment —
 * that route is registered before `writesNeedAdmin`, which refuses the
 * cashier every route after it.
 */
import { writesNeedAdmin } from '../../middleware/admin-auth.ts';
import { adminRouter } from '../../routers.ts';
import { adminDeadLetters } from './dead-letters.ts';
import { adminDiagnostics } from './diagnostics.ts';
import { adminLinks } from './links.ts';
import { adminPayments, exportCsvRoute, verifyNowRoute } from './payments.ts';
import { adminProducts } from './products.ts';
import { adminSummary } from './summary.ts';

export const admin = adminRouter()
  .post('/payments/:id/verify', verifyNowRoute)
  .use(writesNeedAdmin)
  .get('/payments.csv', exportCsvRoute)
  .route('/payments', adminPayments)
  .route('/products', adminProducts)
  .route('/links', adminLinks)
  .route('/dead-letters', adminDeadLetters)
  .route('/diagnostics', adminDiagnostics)
  .route('/', adminSummary);
