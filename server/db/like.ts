/** `%…%` for a case-insensitive `lower(column) like ? escape '\'`, with the user's own `%`, `_` and `\` taken literally. */
export const likePattern = (value: string) => `%${value.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
