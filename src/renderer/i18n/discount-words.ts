// The words of the discounts (issue 11.5), kept apart from ru.ts/en.ts so the dictionaries change in
// one line each; ru.ts and en.ts spread them, and the type makes a missing word a compile error.
import type { DiscountProblem } from '../../shared/discounts.ts';

export const discountRu = {
  discountLine: (name: string) => `Скидка на «${name}»`,
  discountReceipt: 'Скидка на чек',
  discountKeysHint: 'F4 — скидка на последнюю позицию, Shift+F4 — на весь чек.',
  discountLineTitle: (name: string) => `Скидка на позицию «${name}»`,
  discountReceiptTitle: 'Скидка на весь чек',
  discountKind: 'Вид скидки',
  discountPercent: 'Процент',
  discountRoubles: 'Рубли',
  discountValuePercent: 'Скидка, %',
  discountValueRoubles: 'Скидка, ₽',
  discountApply: 'Применить скидку',
  discountRemove: 'Убрать скидку',
  discountPreview: (before: string, after: string) => `Было ${before}, станет ${after}`,
  discountOverLimit: (limit: string) => `Скидка больше лимита кассира (${limit}): нужен PIN менеджера.`,
  discountManagerPin: 'PIN менеджера',
  discountPinWrong: 'Неверный PIN менеджера.',
  discountErrValue: 'Введите число: процент или сумму в рублях, не больше двух знаков после запятой.',
  discountProblem: (p: DiscountProblem): string => {
    switch (p.kind) {
      case 'percent_100_or_more':
        return 'Скидка должна быть меньше 100 %: ККТ не пробивает позицию за 0,00 ₽.';
      case 'percent_not_positive':
      case 'amount_not_positive':
        return 'Скидка должна быть больше нуля.';
      case 'amount_not_below_sum':
        return 'Скидка должна быть меньше суммы.';
      case 'price_under_kopeck':
        return 'После скидки позиция стоила бы меньше 0,01 ₽ за единицу — уменьшите скидку.';
    }
  },
  discountNoLongerFits: (name: string | null, problem: string) =>
    `${name === null ? 'Скидка на чек' : `Скидка на «${name}»`} больше не подходит: ${problem} Измените или уберите скидку.`,
  discountPinAgain: (limit: string) =>
    `Скидка стала больше, чем одобрил менеджер (лимит кассира ${limit}): откройте скидку и введите PIN менеджера снова.`,
  priceBefore: 'Цена без скидки',
  totalBeforeDiscount: 'Без скидки',
  totalDiscount: 'Скидка',
  discountLimitLabel: 'Максимальная скидка кассира, %',
  discountLimitHint: 'Скидку больше этой кассир даёт только с PIN менеджера.',
  errDiscountLimit: 'Введите процент от 0 до 99,99.',
};

export const discountEn: typeof discountRu = {
  discountLine: (name) => `Discount on “${name}”`,
  discountReceipt: 'Receipt discount',
  discountKeysHint: 'F4: discount on the last line, Shift+F4: on the whole receipt.',
  discountLineTitle: (name) => `Discount on “${name}”`,
  discountReceiptTitle: 'Discount on the whole receipt',
  discountKind: 'Kind of discount',
  discountPercent: 'Per cent',
  discountRoubles: 'Roubles',
  discountValuePercent: 'Discount, %',
  discountValueRoubles: 'Discount, ₽',
  discountApply: 'Apply the discount',
  discountRemove: 'Remove the discount',
  discountPreview: (before, after) => `Was ${before}, will be ${after}`,
  discountOverLimit: (limit) => `Above the cashier's limit (${limit}): the manager's PIN is needed.`,
  discountManagerPin: "Manager's PIN",
  discountPinWrong: "Wrong manager's PIN.",
  discountErrValue: 'Enter a number: a per cent or roubles, at most two decimals.',
  discountProblem: (p) => {
    switch (p.kind) {
      case 'percent_100_or_more':
        return 'A discount must be below 100 %: the KKT registers no line at 0.00.';
      case 'percent_not_positive':
      case 'amount_not_positive':
        return 'A discount must be above zero.';
      case 'amount_not_below_sum':
        return 'A discount must be less than the sum.';
      case 'price_under_kopeck':
        return 'After the discount a unit would cost less than 0.01: give a smaller discount.';
    }
  },
  discountNoLongerFits: (name, problem) =>
    `${name === null ? 'The receipt discount' : `The discount on “${name}”`} no longer fits: ${problem} Change or remove the discount.`,
  discountPinAgain: (limit) =>
    `A discount now takes more than the manager approved (the cashier's limit is ${limit}): open the discount and enter the manager's PIN again.`,
  priceBefore: 'Price before the discount',
  totalBeforeDiscount: 'Before discounts',
  totalDiscount: 'Discount',
  discountLimitLabel: "Cashier's maximum discount, %",
  discountLimitHint: "A cashier gives a bigger discount only with the manager's PIN.",
  errDiscountLimit: 'Enter a per cent from 0 to 99.99.',
};
