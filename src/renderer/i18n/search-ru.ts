// The words of the item search and the quick keys, spread into ru.ts: kept apart so this feature's
// words do not tangle with the other edits of the one long dictionary (en: search-en.ts, same keys).
export const searchRu = {
  itemSearchOpen: 'Поиск товара',
  itemSearchTitle: 'Поиск товара',
  itemSearchField: 'Название, код или штрихкод',
  itemSearchHint: '↑ ↓ — выбрать, Enter — добавить в чек, Esc — закрыть.',
  itemSearchResults: 'Найденные товары',
  itemSearchNothing: (q: string) => `Ничего не найдено по запросу «${q}».`,
  itemSearchClose: 'Закрыть',
  itemsPanelTitle: 'Поиск и быстрые кнопки',
  quickKeysTitle: 'Быстрые кнопки',
  quickKeyName: (name: string, price: string) => `${name}, ${price}`,
  quickKeysManageTitle: 'Быстрые кнопки кассы',
  quickKeysManageHint: (max: number) =>
    `Кнопки на экране продажи для товаров без штрихкода: пакеты, хлеб, развесные овощи. Не больше ${max}; изменения сохраняются сразу.`,
  quickKeysEmpty: 'Кнопок пока нет: найдите товар ниже и добавьте его.',
  quickKeysList: 'Кнопки по порядку',
  quickKeyUp: (name: string) => `Выше: «${name}»`,
  quickKeyDown: (name: string) => `Ниже: «${name}»`,
  quickKeyRemove: (name: string) => `Убрать кнопку «${name}»`,
  quickKeyFind: 'Найти товар для кнопки',
  quickKeyLabel: 'Надпись на кнопке (необязательно)',
  quickKeyLabelHint: 'Пусто — на кнопке будет название товара.',
  quickKeyAdd: (name: string) => `Добавить кнопку «${name}»`,
  quickKeyOnKey: 'уже на кнопке',
  quickKeysSaved: 'Быстрые кнопки сохранены.',
  quickKeysFull: (max: number) => `Уже ${max} кнопок — больше не поместится. Уберите ненужную.`,
};
