/** What a model's broken contract throws; the explorer reports it as the model's error with code `model-contract`. */
export class ContractBreach extends Error {
  override readonly name = 'ContractBreach';
}
