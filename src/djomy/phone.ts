/**
 * Payer phone numbers as Djomy wants them: `00` + country code + national
 * number, digits only (docs/djomy.md#phone-numbers). People type them in many
 * ways: `+224 622 12 34 56`, `622123456`, `00224622123456`, `224622123456`,
 * or with a local trunk `0`.
 */

export const COUNTRIES = ['GN', 'SL', 'LR'] as const;
export type Country = (typeof COUNTRIES)[number];

interface NumberingPlan {
  callingCode: string;
  /** The national significant number, without trunk prefix. */
  national: RegExp;
}

const PLANS: Record<Country, NumberingPlan> = {
  // Guinea: 9-digit mobile numbers starting with 6.
  GN: { callingCode: '224', national: /^6\d{8}$/ },
  // Sierra Leone: 8-digit national numbers.
  SL: { callingCode: '232', national: /^\d{8}$/ },
  // Liberia: 7 to 9 digits (mobile numbers have 9).
  LR: { callingCode: '231', national: /^\d{7,9}$/ },
};

export type PhoneResult = { ok: true; phone: string } | { ok: false; reason: string };

/**
 * Normalises a phone number for `country`. A number written with another
 * country's calling code is refused: the wallet must belong to the payment's country.
 *
 * @example normalizePhone('+224 622 12 34 56', 'GN') // { ok: true, phone: '00224622123456' }
 */
export function normalizePhone(input: string, country: Country): PhoneResult {
  const plan = PLANS[country];
  const compact = input.trim().replace(/[\s.\-()/]/g, '');
  if (!/^\+?\d+$/.test(compact)) return { ok: false, reason: 'a phone number has only digits, spaces and +' };
  let digits = compact.startsWith('+') ? `00${compact.slice(1)}` : compact;
  if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.startsWith(plan.callingCode) && plan.national.test(digits.slice(plan.callingCode.length))) {
    // International form without the 00 (e.g. 224622123456).
  } else {
    digits = plan.callingCode + digits.replace(/^0/, '');
  }
  for (const [other, otherPlan] of Object.entries(PLANS)) {
    if (other !== country && digits.startsWith(otherPlan.callingCode)) {
      return { ok: false, reason: `this is a ${other} number; the payment is in ${country}` };
    }
  }
  const national = digits.slice(plan.callingCode.length).replace(/^0/, '');
  if (!digits.startsWith(plan.callingCode) || !plan.national.test(national)) {
    return { ok: false, reason: `not a valid ${country} mobile number` };
  }
  return { ok: true, phone: `00${plan.callingCode}${national}` };
}

/**
 * Hides all but the calling code and the last three digits, for logs.
 *
 * @example maskPhone('00224622123456') // '00224******456'
 */
export function maskPhone(phone: string): string {
  if (phone.length <= 8) return '*'.repeat(phone.length);
  return phone.slice(0, 5) + '*'.repeat(phone.length - 8) + phone.slice(-3);
}
