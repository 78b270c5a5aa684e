/** One thing wrong with a request: where (`items.0.sku`, `payer.phone`) and what. */
export interface FieldError {
  path: string;
  message: string;
}
