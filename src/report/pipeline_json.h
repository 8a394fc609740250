// Renders a PipelineReport as JSON for scripts and the API.
//
// Field names are stable; new fields may be added, none is renamed or removed without a
// version change. Money is an object {"fen": <int>, "currency": "CNY", "formatted": "¥1.00"},
// where fen is the exact amount in 1/100 of the currency unit; a list of such objects contains
// one sum per currency, ordered by currency code. Ratios carry their integer numerator and
// denominator next to a formatted string. Dates are "YYYY-MM-DD"; a missing value is null.
#pragma once

#include <string>

#include "common/locale.h"
#include "report/pipeline.h"

namespace salesradar::report {

// Returns the report as a JSON document, indented by two spaces, ending in '\n'. Stage labels
// are given in `locale`. Names from the data are copied unchanged, except that invalid UTF-8
// bytes become U+FFFD. A summary's name is empty for the keys "all" and "none".
//
// Top level: report ("pipeline"), version (1), as_of, group_by, stale_days,
// max_discount_basis_points, opportunities_read, excluded_engaged_after_as_of, total, groups.
// Each summary: key, name, opportunities, stages [{stage, label, count, amounts}], won, lost,
// win_rate {won, closed, percent}, days_to_close {closed, total_days, average}, open,
// open_without_engage_date, stale {count, deals}, won_below_list {count, not_compared, deals}.
std::string RenderPipelineJson(const PipelineReport& report, Locale locale);

}  // namespace salesradar::report
