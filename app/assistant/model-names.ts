/** How a model id is named to people ("which model answered"). */
export function modelDisplayName(modelId: string): string {
  if (modelId === 'offline') return 'MegaTicket offline assistant';
  if (modelId.includes('claude-haiku-4-5')) return 'Claude Haiku 4.5';
  if (modelId.includes('nova-lite')) return 'Amazon Nova Lite';
  if (modelId.includes('nova-pro')) return 'Amazon Nova Pro';
  return modelId;
}
