// axe-core over the page as it is, for the specs that check accessibility (a11y.spec.ts, refund.spec.ts).
// Legacy mode: axe.run in the page itself. The default splits a scan into axe.runPartial in every frame
// and axe.finishRun in a blank page it opens for the purpose, so cross-origin iframes can be scanned; the
// renderer has no frames at all, so both modes run the same rules on the same DOM, and opening and
// closing that extra page (with axe's 0.5 MB source evaluated again in it) was most of a scan here.
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';

export type AxeViolation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/** Every axe violation on the page now, of any impact. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const { violations } = await new AxeBuilder({ page }).setLegacyMode().analyze();
  return violations;
}
