// The pipeline filters as the page keeps them: ids as strings ("" = no filter) and a period of
// calendar days in the user's zone.
export interface PipelineFilterState {
  team: string
  region: string
  owner: string
  product: string
  period: [string, string]
}
