/**
 * In-page measurements (run by page.evaluate, so no imports): what sticks out
 * of the card. Synthetic shadow keeps the components' elements in the
 * document, so a TreeWalker from the card sees all of them. An element inside
 * an ancestor that clips (overflow hidden, as `slds-truncate`) is measured by
 * what the ancestor lets show.
 */
export interface Overflow {
  readonly element: string;
  readonly text: string;
  readonly pixels: number;
}

export function measureOverflow(): {
  cardWidth: number;
  pageScrollWidth: number;
  overflows: Overflow[];
} {
  const card = document.getElementById('card')!;
  const bounds = card.getBoundingClientRect();
  const clipRight = (element: Element): number => {
    let right = element.getBoundingClientRect().right;
    for (let node = element.parentElement; node && node !== card; node = node.parentElement) {
      const overflowX = getComputedStyle(node).overflowX;
      if (overflowX !== 'visible') right = Math.min(right, node.getBoundingClientRect().right);
    }
    return right;
  };
  const overflows: Overflow[] = [];
  const walker = document.createTreeWalker(card, NodeFilter.SHOW_ELEMENT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node as Element;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const pixels = Math.round(clipRight(element) - bounds.right);
    if (pixels > 1) {
      const id = element.getAttribute('data-id');
      overflows.push({
        element: `${element.tagName.toLowerCase()}${id ? `[data-id=${id}]` : ''}${element.className && typeof element.className === 'string' ? `.${element.className.trim().split(/\s+/).join('.')}` : ''}`,
        text: (element.textContent ?? '').trim().slice(0, 60),
        pixels,
      });
    }
  }
  return {
    cardWidth: Math.round(bounds.width),
    pageScrollWidth: document.documentElement.scrollWidth,
    overflows,
  };
}
