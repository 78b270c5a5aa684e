/** The admin API, mounted at `/api/admin`: every route behind the bearer token (src/http/routers.ts). */
import { adminRouter } from '../../routers.ts';
import { adminDeadLetters } from './dead-letters.ts';
import { adminDiagnostics } from './diagnostics.ts';
import { adminLinks } from './links.ts';
import { adminPayments } from './payments.ts';
import { adminProducts } from './products.ts';

export const admin = adminRouter()
  .route('/payments', adminPayments)
  .route('/products', adminProducts)
  .route('/links', adminLinks)
  .route('/dead-letters', adminDeadLetters)
  .route('/diagnostics', adminDiagnostics);
