/**
 * Payer phone numbers that choose a payment's outcome, so that every
 * money-safety case (a lost answer, a missing webhook, a success that comes
 * after the shop gave up, a short payment…) can be played by a test or
 * clicked through by hand in `npm run dev`. All other numbers behave
 * normally. This is the one list: the pages, the README and the tests read it.
 *
 * Numbers are Guinean, in the form the Worker sends them (`00224` + 9 digits);
 * `national` is what a payer types in the demo shop.
 */

export interface TestNumber {
  /** As Djomy receives it in `payerIdentifier` / `payerNumber`. */
  phone: string;
  /** As a payer types it. */
  national: string;
  /** A short name, in French and English. */
  label: { fr: string; en: string };
  /** What happens to the payer's payments, in French and English. */
  effect: { fr: string; en: string };
}

export const TEST_NUMBERS = {
  approve: {
    phone: '00224620000001',
    national: '620000001',
    label: { fr: 'Approuve aussitôt', en: 'Approves at once' },
    effect: {
      fr: 'Paiement direct : SUCCESS juste après la création, webhook envoyé. Portail : comme d’habitude.',
      en: 'Direct payment: SUCCESS right after creation, webhook sent. Portal: as usual.',
    },
  },
  decline: {
    phone: '00224620000002',
    national: '620000002',
    label: { fr: 'Refuse', en: 'Declines' },
    effect: {
      fr: 'Paiement direct : FAILED juste après la création. Portail et lien : FAILED quand il paie.',
      en: 'Direct payment: FAILED right after creation. Portal and link: FAILED when paying.',
    },
  },
  wrongOtp: {
    phone: '00224620000003',
    national: '620000003',
    label: { fr: 'OTP toujours faux', en: 'Wrong OTP' },
    effect: {
      fr: 'confirmOTP refuse tout code comme incorrect (400) ; le paiement reste PENDING.',
      en: 'confirmOTP refuses every code as wrong (400); the payment stays PENDING.',
    },
  },
  answerLost: {
    phone: '00224620000004',
    national: '620000004',
    label: { fr: 'Réponse perdue', en: 'Answer lost' },
    effect: {
      fr: 'Chaque création (directe ou portail) est faite, puis sa réponse est perdue (connexion coupée pendant la lecture).',
      en: 'Every create (direct or gateway) is processed, then its answer is lost (connection reset while it is read).',
    },
  },
  webhookNeverSent: {
    phone: '00224620000005',
    national: '620000005',
    label: { fr: 'Webhook jamais envoyé', en: 'Webhook never sent' },
    effect: {
      fr: "Aucun webhook n'est envoyé pour ce paiement, quoi qu'il arrive (journalisés « dropped »).",
      en: 'No webhook is ever sent for this payment, whatever happens to it (logged as "dropped").',
    },
  },
  lateSuccess: {
    phone: '00224620000006',
    national: '620000006',
    label: { fr: 'Succès tardif', en: 'Late success' },
    effect: {
      fr: 'Reste PENDING quoi que fasse le payeur, puis SUCCESS (avec webhook) lateSuccessSeconds après la création, ou tout de suite par le bouton du téléphone.',
      en: 'Stays PENDING whatever the payer does, then SUCCESS (with its webhook) lateSuccessSeconds after creation, or now with the phone page button.',
    },
  },
  amountMismatch: {
    phone: '00224620000007',
    national: '620000007',
    label: { fr: 'Montant payé inférieur', en: 'Amount mismatch' },
    effect: {
      fr: 'Quand le payeur approuve, SUCCESS avec paidAmount = montant − 1000 (au moins 1).',
      en: 'When the payer approves, SUCCESS with paidAmount = amount − 1000 (at least 1).',
    },
  },
} as const satisfies Record<string, TestNumber>;

export type TestBehaviour = keyof typeof TEST_NUMBERS;

const BY_PHONE = new Map<string, TestBehaviour>(
  Object.entries(TEST_NUMBERS).map(([behaviour, number]) => [number.phone, behaviour as TestBehaviour]),
);

/** The behaviour a payer's number chooses, or null for an ordinary number. */
export function testBehaviourOf(phone: string | null | undefined): TestBehaviour | null {
  return (phone && BY_PHONE.get(phone)) || null;
}

/** How far below the asked amount an `amountMismatch` payer pays. */
export const SHORT_PAYMENT = 1000;
