// What the demo merchant sells where: markets, channels and typical amounts.
// Channel codes follow the providers' naming (market prefix for PayCools'
// global API, bank VA codes for PayCools Indonesia); amounts are in major units.

export type AmountRange = { min: number; max: number; /** Amounts are multiples of this. */ step: number };

export type PaycoolsMarket = {
  prefix: "ID" | "PH" | "MY" | "TH";
  timeZone: string;
  /** Hours from UTC; none of these markets keeps daylight saving time. */
  utcOffset: number;
  weight: number;
  paymentChannels: readonly string[];
  payoutChannels: readonly string[];
  /** Over-the-counter payment codes and static QR codes, paid into again and again. */
  staticChannels: readonly string[];
  payment: AmountRange;
  payout: AmountRange;
};

export const PAYCOOLS_MARKETS: readonly PaycoolsMarket[] = [
  {
    prefix: "ID",
    timeZone: "Asia/Jakarta",
    utcOffset: 7,
    weight: 40,
    paymentChannels: ["ID_BCA_VA", "ID_BNI_VA", "ID_BRI_VA", "ID_MANDIRI_VA", "ID_QRIS", "ID_DANA", "ID_OVO", "ID_SHOPEEPAY"],
    payoutChannels: ["ID_BCA", "ID_BNI", "ID_BRI", "ID_MANDIRI", "ID_DANA"],
    staticChannels: ["ID_QRIS_STATIC", "ID_ALFAMART"],
    payment: { min: 25_000, max: 2_500_000, step: 1_000 },
    payout: { min: 100_000, max: 25_000_000, step: 5_000 },
  },
  {
    prefix: "PH",
    timeZone: "Asia/Manila",
    utcOffset: 8,
    weight: 30,
    paymentChannels: ["PH_GCASH", "PH_PAYMAYA", "PH_QRPH", "PH_BPI", "PH_UNIONBANK", "PH_GRABPAY"],
    payoutChannels: ["PH_GCASH", "PH_INSTAPAY", "PH_PESONET"],
    staticChannels: ["PH_7ELEVEN", "PH_CEBUANA"],
    payment: { min: 100, max: 25_000, step: 0.5 },
    payout: { min: 1_000, max: 150_000, step: 1 },
  },
  {
    prefix: "MY",
    timeZone: "Asia/Kuala_Lumpur",
    utcOffset: 8,
    weight: 15,
    paymentChannels: ["MY_FPX", "MY_TNG", "MY_DUITNOW_QR", "MY_BOOST", "MY_GRABPAY"],
    payoutChannels: ["MY_DUITNOW", "MY_IBG"],
    staticChannels: ["MY_DUITNOW_STATIC"],
    payment: { min: 10, max: 2_500, step: 0.01 },
    payout: { min: 100, max: 20_000, step: 0.01 },
  },
  {
    prefix: "TH",
    timeZone: "Asia/Bangkok",
    utcOffset: 7,
    weight: 15,
    paymentChannels: ["TH_PROMPTPAY", "TH_TRUEMONEY", "TH_KBANK", "TH_SCB", "TH_BBL"],
    payoutChannels: ["TH_PROMPTPAY", "TH_KBANK"],
    staticChannels: ["TH_PROMPTPAY_STATIC"],
    payment: { min: 50, max: 20_000, step: 1 },
    payout: { min: 500, max: 200_000, step: 1 },
  },
];

export const PAYCOOLS_ID_ZONE = { timeZone: "Asia/Jakarta", utcOffset: 7 } as const;

/** PayCools Indonesia static VA channels and the bank prefix of their VA numbers. */
export const PAYCOOLS_ID_VA_CHANNELS: readonly (readonly [string, string])[] = [
  ["BNI_VA", "8558"],
  ["BRI_VA", "2620"],
  ["MANDIRI_VA", "8908"],
  ["PERMATA_VA", "8625"],
  ["CIMB_VA", "5919"],
];

export const PAYCOOLS_ID_PAYMENT: AmountRange = { min: 50_000, max: 5_000_000, step: 1_000 };

export type PayermaxMethod = {
  paymentMethodType: string;
  targetOrg: string;
  /** Card schemes, when the method is a card. */
  cardOrgs?: readonly string[];
  /** Whether the payer gets a VA / payment code to pay into. */
  paymentCode?: boolean;
};

export type PayermaxCountry = {
  countryCode: string;
  currency: string;
  utcOffset: number;
  weight: number;
  amount: AmountRange;
  methods: readonly PayermaxMethod[];
  /** Some orders are priced in USD and paid in the local currency at this rate. */
  usdRate?: string;
};

export const PAYERMAX_COUNTRIES: readonly PayermaxCountry[] = [
  {
    countryCode: "ID",
    currency: "IDR",
    utcOffset: 7,
    weight: 22,
    amount: { min: 15_000, max: 1_500_000, step: 500 },
    methods: [
      { paymentMethodType: "WALLET", targetOrg: "DANA" },
      { paymentMethodType: "WALLET", targetOrg: "OVO" },
      { paymentMethodType: "WALLET", targetOrg: "SHOPEEPAY" },
      { paymentMethodType: "VA", targetOrg: "BCA", paymentCode: true },
      { paymentMethodType: "CARD", targetOrg: "", cardOrgs: ["VISA", "MASTERCARD"] },
    ],
    usdRate: "16250",
  },
  {
    countryCode: "PH",
    currency: "PHP",
    utcOffset: 8,
    weight: 15,
    amount: { min: 50, max: 15_000, step: 0.01 },
    methods: [
      { paymentMethodType: "WALLET", targetOrg: "GCASH" },
      { paymentMethodType: "WALLET", targetOrg: "MAYA" },
      { paymentMethodType: "CARD", targetOrg: "", cardOrgs: ["VISA", "MASTERCARD"] },
    ],
    usdRate: "58.12",
  },
  {
    countryCode: "TH",
    currency: "THB",
    utcOffset: 7,
    weight: 10,
    amount: { min: 30, max: 15_000, step: 1 },
    methods: [
      { paymentMethodType: "WALLET", targetOrg: "TRUEMONEY" },
      { paymentMethodType: "ONLINE_BANKING", targetOrg: "PROMPTPAY" },
      { paymentMethodType: "CARD", targetOrg: "", cardOrgs: ["VISA", "MASTERCARD", "JCB"] },
    ],
  },
  {
    countryCode: "MY",
    currency: "MYR",
    utcOffset: 8,
    weight: 8,
    amount: { min: 5, max: 2_000, step: 0.01 },
    methods: [
      { paymentMethodType: "ONLINE_BANKING", targetOrg: "FPX" },
      { paymentMethodType: "WALLET", targetOrg: "TNG" },
    ],
  },
  {
    countryCode: "SA",
    currency: "SAR",
    utcOffset: 3,
    weight: 20,
    amount: { min: 5, max: 3_500, step: 0.01 },
    methods: [
      { paymentMethodType: "CARD", targetOrg: "", cardOrgs: ["MADA", "VISA", "MASTERCARD"] },
      { paymentMethodType: "WALLET", targetOrg: "STCPAY" },
      { paymentMethodType: "APPLEPAY", targetOrg: "" },
    ],
    usdRate: "3.75",
  },
  {
    countryCode: "AE",
    currency: "AED",
    utcOffset: 4,
    weight: 10,
    amount: { min: 5, max: 3_500, step: 0.01 },
    methods: [
      { paymentMethodType: "CARD", targetOrg: "", cardOrgs: ["VISA", "MASTERCARD"] },
      { paymentMethodType: "APPLEPAY", targetOrg: "" },
    ],
    usdRate: "3.6725",
  },
  {
    countryCode: "BR",
    currency: "BRL",
    utcOffset: -3,
    weight: 10,
    amount: { min: 5, max: 2_500, step: 0.01 },
    methods: [
      { paymentMethodType: "PIX", targetOrg: "" },
      { paymentMethodType: "BOLETO", targetOrg: "", paymentCode: true },
      { paymentMethodType: "CARD", targetOrg: "", cardOrgs: ["VISA", "MASTERCARD", "ELO"] },
    ],
  },
  {
    countryCode: "MX",
    currency: "MXN",
    utcOffset: -6,
    weight: 5,
    amount: { min: 20, max: 10_000, step: 0.01 },
    methods: [
      { paymentMethodType: "CASH", targetOrg: "OXXO", paymentCode: true },
      { paymentMethodType: "CARD", targetOrg: "", cardOrgs: ["VISA", "MASTERCARD"] },
    ],
  },
];

export const PAYERMAX_MERCHANT_ID = "SP35661109";

export const PAYERMAX_FAILURES: readonly (readonly [string, string])[] = [
  ["INSUFFICIENT_BALANCE", "Insufficient balance in the payer's account"],
  ["PAYMENT_EXPIRED", "The payer did not complete the payment in time"],
  ["CARD_DECLINED", "The issuer declined the card"],
  ["RISK_REJECTED", "Rejected by risk control"],
  ["USER_CANCELLED", "The payer cancelled the payment"],
];

export const PAYMENT_REMARKS = ["Wallet top-up", "Marketplace order", "Subscription renewal", "Game credits", "Invoice payment"];
export const PAYOUT_REMARKS = ["Seller settlement", "Driver payout", "Customer withdrawal", "Affiliate commission"];
export const REFUND_REMARKS = ["Customer refund", "Order cancelled", "Partial refund: item out of stock"];
