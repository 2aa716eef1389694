import type { Page } from 'playwright';

/** Fills the Market page's "Place an order for a member" form and submits it. */
export async function placeOrder(
  page: Page,
  member: string,
  side: 'buy' | 'sell',
  wh: number,
  price: string,
): Promise<void> {
  await page.getByRole('combobox', { name: 'Member' }).first().selectOption({ label: member });
  await page.getByRole('combobox', { name: 'Side' }).selectOption(side);
  await page.getByRole('spinbutton', { name: 'Energy (Wh)' }).fill(String(wh));
  await page.getByRole('textbox', { name: 'Limit price per kWh' }).fill(price);
  await page.getByRole('button', { name: 'Place order' }).click();
}
