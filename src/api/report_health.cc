#include "api/report_health.h"

#include <algorithm>

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>
#include <fmt/format.h>

#include "api/request_io.h"

namespace salesradar::api {
namespace {

using nlohmann::json;

const cctz::time_zone& Shanghai() {
  static const cctz::time_zone zone = [] {
    cctz::time_zone loaded;
    if (!cctz::load_time_zone("Asia/Shanghai", &loaded)) loaded = cctz::fixed_time_zone(std::chrono::hours(8));
    return loaded;
  }();
  return zone;
}

cctz::civil_day MondayOf(Timestamp t) {
  cctz::civil_day day(cctz::convert(t, Shanghai()));
  int weekday = static_cast<int>(cctz::get_weekday(day));  // Monday = 0
  return day - weekday;
}

enum class Handling { kInTime, kLate, kPending };

Handling HandlingOf(const store::HealthAlertRow& alert) {
  std::optional<Timestamp> handled = alert.first_acknowledged_at;
  if (alert.resolved_at && (!handled || *alert.resolved_at < *handled)) handled = alert.resolved_at;
  if (handled && (!alert.first_escalated_at || *handled <= *alert.first_escalated_at)) return Handling::kInTime;
  if (alert.first_escalated_at) return Handling::kLate;
  return Handling::kPending;
}

bool IsOverdue(const store::HealthAlertRow& alert) {
  return !alert.resolved && (alert.level == "orange" || alert.level == "red");
}

// The counts of one group of alerts (a team, a rep).
struct Tally {
  int64_t alerts = 0;
  int64_t open = 0;
  int64_t overdue = 0;
  int64_t in_time = 0;
  int64_t late = 0;
  int64_t pending = 0;

  void Add(const store::HealthAlertRow& alert) {
    ++alerts;
    if (!alert.resolved) ++open;
    if (IsOverdue(alert)) ++overdue;
    switch (HandlingOf(alert)) {
      case Handling::kInTime: ++in_time; break;
      case Handling::kLate: ++late; break;
      case Handling::kPending: ++pending; break;
    }
  }

  json Rate() const {
    int64_t decided = in_time + late;
    return decided == 0 ? json(nullptr) : json(static_cast<double>(in_time) / static_cast<double>(decided));
  }
};

class ReportBuilder {
 public:
  ReportBuilder(const HealthReportInput& input, Locale locale) : input_(input), locale_(locale) {}

  json Build() {
    json out = {{"from", FormatTime(input_.from)},
                {"to", FormatTime(input_.to)},
                {"team_id", input_.team_id ? json(*input_.team_id) : json(nullptr)},
                {"time_zone", "Asia/Shanghai"},
                {"alerts", Count(static_cast<int64_t>(input_.alerts.size()), PeriodFilter())},
                {"definitions", Definitions()},
                {"weeks", Weeks()},
                {"teams", Teams()},
                {"reps", Reps()},
                {"top_rules_this_week", TopRules()}};
    return out;
  }

 private:
  // Query parameters of GET /api/v1/alerts for every alert of the period.
  json PeriodFilter() const {
    return {{"status", "all"}, {"from", FormatTime(input_.from)}, {"to", FormatTime(input_.to)}};
  }

  static json Count(int64_t count, json filter) { return {{"count", count}, {"filter", std::move(filter)}}; }

  json RuleLabel(const std::string& pack_id, const std::string& rule_id) const {
    LocalizedText name = input_.rule_name ? input_.rule_name(pack_id, rule_id) : LocalizedText{};
    std::string text = name.in(locale_);
    return text.empty() ? json(rule_id) : json(text);
  }

  json Definitions() const {
    bool en = locale_ == Locale::kEnglish;
    return {{"compliance_rate", en ? "share of decided alerts that were acknowledged or resolved before their first "
                                     "escalation; alerts still open and not escalated are not counted"
                                   : "已有结论的预警中，在首次升级前被确认或解决的比例；仍未处理且尚未升级的预警不计入"},
            {"overdue", en ? "unresolved alerts at level orange or red" : "未解决且处于橙色或红色级别的预警"},
            {"acknowledged_within_sla", en ? "alerts acknowledged or resolved before their first escalation"
                                           : "在首次升级前被确认或解决的预警"}};
  }

  json Weeks() const {
    std::map<std::string, std::vector<const store::HealthAlertRow*>> by_week;
    for (const store::HealthAlertRow& alert : input_.alerts) by_week[ShanghaiIsoWeek(alert.raised_at)].push_back(&alert);

    json weeks = json::array();
    for (const auto& [week, alerts] : by_week) {
      Timestamp start = ShanghaiWeekStart(alerts.front()->raised_at);
      Timestamp end = start + std::chrono::hours(24 * 7);
      json filter = {{"status", "all"},
                     {"from", FormatTime(std::max(start, input_.from))},
                     {"to", FormatTime(std::min(end, input_.to))}};

      std::map<std::string, int64_t> levels = {{"yellow", 0}, {"orange", 0}, {"red", 0}};
      std::map<std::pair<std::string, std::string>, int64_t> rules;
      for (const store::HealthAlertRow* alert : alerts) {
        ++levels[alert->level];
        ++rules[{alert->pack_id, alert->rule_id}];
      }

      json by_level = json::object();
      for (const auto& [level, count] : levels) {
        json level_filter = filter;
        level_filter["level"] = level;
        by_level[level] = Count(count, level_filter);
      }
      json by_rule = json::array();
      for (const auto& [key, count] : rules) by_rule.push_back(RuleCount(key.first, key.second, count, filter));

      weeks.push_back({{"week", week},
                       {"start", FormatTime(start)},
                       {"alerts", Count(static_cast<int64_t>(alerts.size()), filter)},
                       {"by_level", std::move(by_level)},
                       {"by_rule", std::move(by_rule)}});
    }
    return weeks;
  }

  json RuleCount(const std::string& pack_id, const std::string& rule_id, int64_t count, json filter) const {
    filter["pack_id"] = pack_id;
    filter["rule_id"] = rule_id;
    return {{"pack_id", pack_id}, {"rule_id", rule_id}, {"name", RuleLabel(pack_id, rule_id)},
            {"count", count}, {"filter", std::move(filter)}};
  }

  std::string UnitName(std::optional<int64_t> unit_id) const {
    if (!unit_id) return "";
    auto found = input_.unit_names.find(*unit_id);
    return found == input_.unit_names.end() ? "" : found->second;
  }

  // Filters of one owner's alerts: all of them, the open ones and the overdue ones.
  json OwnerFilters(std::optional<int64_t> owner) const {
    json all = PeriodFilter();
    if (owner) all["owner_id"] = *owner;
    json open = all;
    open["status"] = "unresolved";
    json overdue = open;
    overdue["level"] = "orange,red";
    return {{"alerts", all}, {"open", open}, {"overdue", overdue}, {"acknowledged_within_sla", all}};
  }

  json TallyJson(const Tally& tally, const json& filters) const {
    return {{"alerts", Count(tally.alerts, filters["alerts"])},
            {"open", Count(tally.open, filters["open"])},
            {"overdue", Count(tally.overdue, filters["overdue"])},
            {"acknowledged_within_sla", Count(tally.in_time, filters["acknowledged_within_sla"])},
            {"escalated_before_handling", tally.late},
            {"pending", tally.pending},
            {"compliance_rate", tally.Rate()}};
  }

  json Teams() const {
    std::map<std::optional<int64_t>, Tally> teams;
    for (const store::HealthAlertRow& alert : input_.alerts) teams[alert.owner_unit_id].Add(alert);

    json out = json::array();
    for (const auto& [unit, tally] : teams) {
      // NOTE: GET /api/v1/alerts has no team parameter, so a team's filter lists the whole
      // period; the reps of the team carry exact filters.
      json row = TallyJson(tally, OwnerFilters(std::nullopt));
      row["team_id"] = unit ? json(*unit) : json(nullptr);
      row["team_name"] = UnitName(unit);
      out.push_back(std::move(row));
    }
    return out;
  }

  json Reps() const {
    struct Rep {
      std::string name;
      std::optional<int64_t> unit;
      Tally tally;
    };
    std::map<std::optional<int64_t>, Rep> reps;
    for (const store::HealthAlertRow& alert : input_.alerts) {
      Rep& rep = reps[alert.owner_user_id];
      rep.name = alert.owner_user_id ? alert.owner_name : "";
      rep.unit = alert.owner_unit_id;
      rep.tally.Add(alert);
    }

    json out = json::array();
    for (const auto& [user, rep] : reps) {
      json row = TallyJson(rep.tally, OwnerFilters(user));
      row["user_id"] = user ? json(*user) : json(nullptr);
      row["name"] = rep.name;
      row["team_id"] = rep.unit ? json(*rep.unit) : json(nullptr);
      row["team_name"] = UnitName(rep.unit);
      out.push_back(std::move(row));
    }
    return out;
  }

  json TopRules() const {
    std::map<std::optional<int64_t>, std::map<std::pair<std::string, std::string>, int64_t>> counts;
    for (const store::HealthAlertRow& alert : input_.this_week_alerts) {
      ++counts[alert.owner_unit_id][{alert.pack_id, alert.rule_id}];
    }

    json out = json::array();
    for (const auto& [unit, rules] : counts) {
      std::vector<std::pair<std::pair<std::string, std::string>, int64_t>> sorted(rules.begin(), rules.end());
      std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
      if (sorted.size() > 3) sorted.resize(3);

      json filter = {{"status", "all"}, {"from", FormatTime(input_.this_week_start)}};
      json top = json::array();
      for (const auto& [key, count] : sorted) top.push_back(RuleCount(key.first, key.second, count, filter));
      out.push_back({{"team_id", unit ? json(*unit) : json(nullptr)},
                     {"team_name", UnitName(unit)},
                     {"week", input_.this_week},
                     {"rules", std::move(top)}});
    }
    return out;
  }

  const HealthReportInput& input_;
  Locale locale_;
};

}  // namespace

std::string ShanghaiIsoWeek(Timestamp t) {
  cctz::civil_day thursday = MondayOf(t) + 3;  // the ISO year is the year of the week's Thursday
  cctz::civil_day first_of_year(thursday.year(), 1, 1);
  int week = static_cast<int>((thursday - first_of_year) / 7) + 1;
  return fmt::format("{}-W{:02}", thursday.year(), week);
}

Timestamp ShanghaiWeekStart(Timestamp t) {
  return cctz::convert(cctz::civil_second(MondayOf(t)), Shanghai());
}

json BuildHealthReport(const HealthReportInput& input, Locale locale) { return ReportBuilder(input, locale).Build(); }

}  // namespace salesradar::api
