// Quick keys: the sale screen's buttons for items without a barcode (bags, bread, loose vegetables),
// arranged by the manager. The limits are here because the manager's panel and the station must agree.

/** At most this many buttons: more would not fit the panel at 1024×768 without scrolling pages of them. */
export const QUICK_KEYS_MAX = 30;
/** A button's own label, when the item's name is too long for it ("Пакет" for «Пакет-майка 30×60»). */
export const QUICK_KEY_LABEL_MAX = 24;
