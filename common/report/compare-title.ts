/** The models of a comparison as one line: `a · b · c`. */
export function modelList(models: readonly string[]): string {
  return models.join(' · ');
}

/** Beyond this many models a tab title counts them; the panel's heading still names every one. */
const NAMED_IN_TAB = 4;

/** The tab title of a predictions panel: one model's, or a comparison that names the models it shows. */
export function predictionsTabTitle(dataset: string, models: readonly string[]): string {
  if (models.length < 2) return `Predictions: ${dataset} — ${models[0] ?? ''}`;
  return `Compare: ${dataset} — ${models.length <= NAMED_IN_TAB ? modelList(models) : `${models.length} models`}`;
}
