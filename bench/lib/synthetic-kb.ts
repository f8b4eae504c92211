import { loadEvalSet } from './retrieval-eval.js';

const items = loadEvalSet().items;
const PRODUCTS =
  'linen sheet;wool throw;oak table;ceramic vase;table lamp;cotton towel;duvet cover;cushion;rug;candle;mirror;armchair;bookshelf;curtain;bath mat'.split(
    ';',
  );

/** FAQ-like items (≈ 250 characters): the eval items' text with product words swapped in, so texts vary like a real catalogue. */
export function syntheticItem(i: number): { title: string; content: string } {
  const base = items[i % items.length]!;
  const product = PRODUCTS[(i * 7) % PRODUCTS.length]!;
  return {
    title: `${base.title} (${product}, ref ${i})`,
    content: `${base.content} This applies to the ${product} collection, item ${i}.`,
  };
}
