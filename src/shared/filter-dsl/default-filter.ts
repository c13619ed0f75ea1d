import type { FilterRules } from '../settings.js';

/** The seed's rules as an expression; with no custom expression the filter evaluates exactly this. */
export function defaultFilterExpression(rules: Pick<FilterRules, 'classes' | 'activeMinutes' | 'minTokens'>): string {
  return `classification in (${rules.classes.join(', ')}) and (tracked or ((running or active <= ${rules.activeMinutes}m) and tokens >= ${rules.minTokens}))`;
}
