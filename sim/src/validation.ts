/**
 * Field checks for Djomy request bodies (docs/djomy.md#request-rules). Where
 * Djomy's real rule is unknown the sim is stricter, so that client bugs
 * surface here rather than in production. Each failed check names its field
 * in `fieldsErrors` and adds a French sentence to `details`.
 */
import type { Context } from 'hono';
import { COUNTRIES, type CountryCode, isCountryCode, isPayerPhone } from './domain.ts';
import { fail, MESSAGES } from './envelope.ts';

export type Metadata = Record<string, string | number | boolean>;

interface FieldError {
  field: string;
  message: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** https, or http for loopback hosts only (so local runs work; Djomy itself refuses http). */
export function isSecureOrLoopbackUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  if (url.protocol === 'https:') return true;
  return (
    url.protocol === 'http:' && (LOOPBACK_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost'))
  );
}

export class BodyReader {
  readonly body: Record<string, unknown>;
  readonly errors: FieldError[] = [];

  constructor(body: Record<string, unknown>) {
    this.body = body;
  }

  invalid(field: string, message: string): undefined {
    if (!this.errors.some((error) => error.field === field)) this.errors.push({ field, message });
    return undefined;
  }

  private present(field: string): boolean {
    return this.body[field] !== undefined && this.body[field] !== null;
  }

  string(field: string, { required = false, max = 255, requiredMessage = '' } = {}): string | undefined {
    const value = this.body[field];
    if (!this.present(field) || value === '') {
      return required ? this.invalid(field, requiredMessage || `${field} est obligatoire.`) : undefined;
    }
    if (typeof value !== 'string') return this.invalid(field, `${field} doit être une chaîne.`);
    if (value.length > max) return this.invalid(field, `${field} dépasse ${max} caractères.`);
    return value;
  }

  oneOf<T extends string>(field: string, values: readonly T[], { required = false } = {}): T | undefined {
    const value = this.string(field, { required });
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) {
      return this.invalid(field, `${field} doit valoir ${values.join(', ')}.`);
    }
    return value as T;
  }

  /** Uppercase ISO alpha-2 among GN, SL, LR; lowercase is refused, as Djomy does. */
  countryCode(field = 'countryCode'): CountryCode | undefined {
    const value = this.string(field, { required: true, requiredMessage: 'Le code pays est obligatoire.' });
    if (value === undefined) return undefined;
    if (!/^[A-Z]{2}$/.test(value) || !isCountryCode(value)) {
      return this.invalid(field, 'Le code pays doit être GN, SL ou LR, en majuscules.');
    }
    return value;
  }

  /** Positive; an integer for GNF (no minor unit), at most 2 decimals otherwise. */
  amount(field: string, country: CountryCode | undefined, { required = true } = {}): number | undefined {
    const value = this.body[field];
    if (!this.present(field))
      return required ? this.invalid(field, 'Le montant est obligatoire.') : undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      return this.invalid(field, 'Le montant doit être un nombre positif.');
    }
    if (country === 'GN' && !Number.isInteger(value)) {
      return this.invalid(field, `Le montant en ${COUNTRIES.GN.currency} doit être un entier.`);
    }
    if (Math.abs(Math.round(value * 100) - value * 100) > 1e-6) {
      return this.invalid(field, 'Le montant a au plus deux décimales.');
    }
    return value;
  }

  phone(field: string, { required = true, requiredMessage = '' } = {}): string | undefined {
    const value = this.string(field, { required, requiredMessage });
    if (value === undefined) return undefined;
    if (!isPayerPhone(value)) {
      return this.invalid(field, 'Numéro invalide : format 00224XXXXXXXXX (ou 00232…, 00231…).');
    }
    return value;
  }

  url(field: string): string | undefined {
    const value = this.string(field, { max: 2048 });
    if (value === undefined) return undefined;
    if (!isSecureOrLoopbackUrl(value)) return this.invalid(field, `${field} doit être une URL https.`);
    return value;
  }

  /** Flat: string, number or boolean values only; Djomy refuses nesting and arrays. */
  metadata(field = 'metadata'): Metadata {
    const value = this.body[field];
    if (!this.present(field)) return {};
    const flat =
      typeof value === 'object' &&
      value !== null &&
      !Array.isArray(value) &&
      Object.values(value).every((v) => ['string', 'number', 'boolean'].includes(typeof v));
    if (!flat) {
      this.invalid(field, 'metadata doit être un objet plat (chaînes, nombres, booléens).');
      return {};
    }
    return value as Metadata;
  }

  boolean(field: string): boolean | undefined {
    const value = this.body[field];
    if (!this.present(field)) return undefined;
    if (typeof value !== 'boolean') return this.invalid(field, `${field} doit être un booléen.`);
    return value;
  }

  positiveInteger(field: string): number | undefined {
    const value = this.body[field];
    if (!this.present(field)) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      return this.invalid(field, `${field} doit être un entier positif.`);
    }
    return value;
  }

  stringList(field: string): string[] | undefined {
    const value = this.body[field];
    if (!this.present(field)) return undefined;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      return this.invalid(field, `${field} doit être une liste de chaînes.`);
    }
    return value;
  }

  objectList(field: string): Record<string, unknown>[] | undefined {
    const value = this.body[field];
    if (!this.present(field)) return undefined;
    if (
      !Array.isArray(value) ||
      !value.every((item) => typeof item === 'object' && item && !Array.isArray(item))
    ) {
      return this.invalid(field, `${field} doit être une liste d'objets.`);
    }
    return value;
  }

  /** A date-time in the future (`YYYY-MM-DDTHH:MM:SSZ`). */
  futureDateTime(field: string): string | undefined {
    const value = this.string(field);
    if (value === undefined) return undefined;
    const time = Date.parse(value);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) || Number.isNaN(time)) {
      return this.invalid(field, `${field} doit être une date ISO 8601.`);
    }
    if (time <= Date.now()) return this.invalid(field, `${field} doit être dans le futur.`);
    return new Date(time).toISOString();
  }

  /**
   * The 400 answer for everything found so far, or the required values,
   * typed as present.
   *
   * @example const valid = reader.finish(c, { amount, countryCode }); if (valid instanceof Response) return valid
   */
  finish<T extends Record<string, unknown>>(
    c: Context,
    required: T,
  ): { [K in keyof T]: Exclude<T[K], undefined> } | Response {
    for (const [field, value] of Object.entries(required)) {
      if (value === undefined) this.invalid(field, `${field} est obligatoire.`);
    }
    if (this.errors.length === 0) return required as { [K in keyof T]: Exclude<T[K], undefined> };
    const first = this.errors[0]?.message ?? MESSAGES.validation;
    return fail(c, 400, first, {
      details: this.errors.map((error) => error.message).join(' '),
      fieldsErrors: this.errors.map((error) => error.field),
    });
  }
}
