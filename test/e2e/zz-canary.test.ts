import * as assert from 'node:assert/strict';
import { CANARY_SECRET, findCanary } from '../integration/helpers/canary';
import { currentPage } from './fixture';

/** Last e2e suite: the whole workbench page, text and DOM, after every other suite has run. */
suite('Canary in the workbench (scenario 25)', () => {
  test('no form of the canary secret in the page text or DOM', async () => {
    const page = currentPage();
    const text = await page.locator('body').innerText();
    const dom = await page.content();
    assert.ok(dom.length > 10_000, 'the workbench is loaded');
    assert.equal(findCanary(text, CANARY_SECRET), undefined);
    assert.equal(findCanary(dom, CANARY_SECRET), undefined);
  });
});
