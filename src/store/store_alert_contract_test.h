// The Store contract for the reads of alerts, tickets and the behaviour-health rows
// (store/alert_query.h, store/health_query.h), as a typed test suite next to
// store_security_contract_test.h, whose org tree it reuses. Alerts are written the way the engine
// writes them, through OpenEngineState. A backend's test file instantiates it:
//
//   INSTANTIATE_TYPED_TEST_SUITE_P(My, StoreAlertContractTest, MyBackend);
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "rules/state_store.h"
#include "store/store_security_contract_test.h"

namespace salesradar::store::testing {

inline Timestamp AlertHour(int64_t hours) {
  return FromUnixMicros(1'760'000'000'000'000) + std::chrono::hours(hours);
}

// The facts of one seeded alert.
struct SeededAlert {
  std::string name;  // the subject id and the occurrence, which make the id unique
  std::string owner;
  rules::Level level;
  int64_t raised_hour;
  std::string rule = "no-call";
  std::vector<rules::AlertAction> actions;  // after kRaised, one hour apart
  bool ticket = false;
};

template <typename Backend>
class StoreAlertContractTest : public StoreSecurityContractTest<Backend> {
 protected:
  // Seeds SeedOrgTree plus these alerts of pack "sales", all on leads:
  //   sh-1  rep-sh  yellow raised h1, escalated at h2 (to orange), acknowledged at h3
  //   sh-2  rep-sh  red    raised h3, ticket (open)
  //   hz-1  rep-hz  orange raised h2, acknowledged at h3
  //   hz-2  rep-hz  yellow raised h1 (same time as sh-1), rule "streak"
  //   bj-1  rep-bj  red    raised h4, resolved by a person at h5, ticket (closed)
  //   ms-1  mgr-sh  yellow raised h5
  //   gh-1  ghost   orange raised h6 (the owner is not a user)
  void SeedAlerts() {
    this->SeedOrgTree();
    using rules::AlertAction;
    seeded_ = {
        {"sh-1",
         "rep-sh",
         rules::Level::kYellow,
         1,
         "no-call",
         {AlertAction::kEscalated, AlertAction::kAcknowledged}},
        {"sh-2", "rep-sh", rules::Level::kRed, 3, "no-call", {}, true},
        {"hz-1", "rep-hz", rules::Level::kOrange, 2, "no-call", {AlertAction::kAcknowledged}},
        {"hz-2", "rep-hz", rules::Level::kYellow, 1, "streak", {}},
        {"bj-1",
         "rep-bj",
         rules::Level::kRed,
         4,
         "no-call",
         {AlertAction::kResolvedByPerson},
         true},
        {"ms-1", "mgr-sh", rules::Level::kYellow, 5, "no-call", {}},
        {"gh-1", "ghost", rules::Level::kOrange, 6, "no-call", {}}};

    rules::StateBatch batch;
    for (const SeededAlert& seeded : seeded_) {
      rules::Alert alert = MakeAlert(seeded);
      ids_[seeded.name] = alert.id;
      if (seeded.ticket) {
        bool closed = rules::IsResolved(alert.status);
        batch.tickets_upserted.push_back(
            {alert.ticket_id, "sales_ops", alert.key.subject, alert.id,
             closed ? rules::TicketStatus::kClosed : rules::TicketStatus::kOpen, alert.raised_at,
             closed ? alert.resolved_at : std::nullopt});
      }
      batch.alerts_upserted.push_back(std::move(alert));
    }

    Result<std::unique_ptr<rules::EngineStateStore>> state = this->store_->OpenEngineState();
    ASSERT_TRUE(state.ok()) << state.error().message_en();
    Status applied = (*state)->Apply(batch);
    ASSERT_TRUE(applied.ok()) << applied.error().message_en();
  }

  static rules::Alert MakeAlert(const SeededAlert& seeded) {
    rules::Alert alert;
    alert.key = {"sales", seeded.rule, 1, {"lead", "L-" + seeded.name}, "e-" + seeded.name};
    alert.id = alert.key.ToString();
    alert.kind = rules::RuleKind::kAbsence;
    alert.raised_at = AlertHour(seeded.raised_hour);
    alert.created_at = alert.raised_at;
    alert.level_since = alert.raised_at;
    alert.level = seeded.level;
    alert.owner_id = seeded.owner;
    alert.subject_name = "线索 " + seeded.name;
    alert.message = {"线索未跟进", "lead without a call"};
    rules::RecordHistory(alert, alert.raised_at, rules::kSystemActor, rules::AlertAction::kRaised,
                         "");

    int64_t hour = seeded.raised_hour;
    for (rules::AlertAction action : seeded.actions) {
      Timestamp at = AlertHour(++hour);
      if (action == rules::AlertAction::kEscalated) {
        alert.level = rules::Level::kOrange;
      } else if (action == rules::AlertAction::kAcknowledged) {
        alert.status = rules::AlertStatus::kAcknowledged;
      } else if (action == rules::AlertAction::kResolvedByPerson) {
        alert.status = rules::AlertStatus::kResolvedByPerson;
        alert.resolved_at = at;
      }
      rules::RecordHistory(alert, at, seeded.owner, action, "");
    }
    if (seeded.ticket) {
      alert.ticket_id = alert.id + "/ticket";
    }
    return alert;
  }

  const std::string& IdOfAlert(const std::string& name) { return ids_.at(name); }

  std::vector<std::string> Names(const std::vector<AlertRow>& rows) {
    std::map<std::string, std::string> by_id;
    for (const auto& [name, id] : ids_) by_id[id] = name;
    std::vector<std::string> names;
    for (const AlertRow& row : rows) names.push_back(by_id[row.alert.id]);
    return names;
  }

  // Returns every page of `filter` for `viewer`, failing the test on an error or a loop.
  std::vector<AlertRow> AllPages(AlertFilter filter, const auth::Viewer* viewer) {
    std::vector<AlertRow> rows;
    for (int pages = 0; pages < 100; ++pages) {
      Result<AlertPage> page = this->store_->ListAlerts(filter, viewer);
      EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().message_en());
      if (!page.ok()) return rows;
      EXPECT_LE(page->rows.size(), static_cast<size_t>(filter.limit));
      rows.insert(rows.end(), page->rows.begin(), page->rows.end());
      if (!page->next) return rows;
      filter.after = page->next;
    }
    ADD_FAILURE() << "paging did not end";
    return rows;
  }

  std::set<std::string> Listed(AlertFilter filter, const auth::Viewer* viewer = nullptr) {
    filter.limit = 2;  // several pages even for the small seed
    std::vector<std::string> names = Names(AllPages(std::move(filter), viewer));
    return {names.begin(), names.end()};
  }

  // The seeded alerts in `sort` order, computed here from the seed: ids compare bytewise.
  std::vector<std::string> ExpectedOrder(AlertSort sort) {
    std::vector<SeededAlert> alerts = seeded_;
    auto key = [&](const SeededAlert& a) {
      rules::Alert alert = MakeAlert(a);
      return std::tuple(static_cast<int>(alert.level), a.raised_hour, alert.id);
    };
    std::sort(alerts.begin(), alerts.end(), [&](const SeededAlert& x, const SeededAlert& y) {
      auto [level_x, raised_x, id_x] = key(x);
      auto [level_y, raised_y, id_y] = key(y);
      switch (sort) {
        case AlertSort::kRaisedAtDescending:
          return std::tie(raised_y, id_y) < std::tie(raised_x, id_x);
        case AlertSort::kRaisedAtAscending:
          return std::tie(raised_x, id_x) < std::tie(raised_y, id_y);
        case AlertSort::kLevelDescending:
          return std::tie(level_y, raised_y, id_y) < std::tie(level_x, raised_x, id_x);
        case AlertSort::kLevelAscending:
          return std::tie(level_x, raised_x, id_x) < std::tie(level_y, raised_y, id_y);
      }
      return false;
    });
    std::vector<std::string> names;
    for (const SeededAlert& alert : alerts) names.push_back(alert.name);
    return names;
  }

  std::vector<SeededAlert> seeded_;
  std::map<std::string, std::string> ids_;  // by seeded name
};

TYPED_TEST_SUITE_P(StoreAlertContractTest);

using AlertNames = std::set<std::string>;

TYPED_TEST_P(StoreAlertContractTest, VisibilityPerRole) {
  ASSERT_NO_FATAL_FAILURE(this->SeedAlerts());
  std::vector<std::pair<std::string, AlertNames>> table = {
      {"rep-sh", {"sh-1", "sh-2"}},
      {"rep-bj", {"bj-1"}},
      {"mgr-sh", {"sh-1", "sh-2", "ms-1"}},
      {"mgr-bj", {"bj-1"}},
      {"dir-east", {"sh-1", "sh-2", "hz-1", "hz-2", "ms-1"}},
      {"admin", {"sh-1", "sh-2", "hz-1", "hz-2", "bj-1", "ms-1", "gh-1"}},
  };
  for (const auto& [user, expected] : table) {
    SCOPED_TRACE(user);
    auth::Viewer viewer = this->ViewerOf(user);
    EXPECT_EQ(this->Listed({}, &viewer), expected);
  }
  EXPECT_EQ(this->Listed({}).size(), 7u);

  auth::Viewer rep = this->ViewerOf("rep-sh");
  Result<std::optional<AlertRow>> own = this->store_->GetAlert(this->IdOfAlert("sh-1"), &rep);
  ASSERT_TRUE(own.ok()) << own.error().message_en();
  ASSERT_TRUE(own->has_value());
  EXPECT_EQ((*own)->owner_user_id, this->IdOf(EntityKind::kUser, "rep-sh"));
  EXPECT_EQ((*own)->owner_name, "user rep-sh");
  EXPECT_EQ((*own)->owner_unit_id, this->IdOf(EntityKind::kOrgUnit, "sh"));
  EXPECT_EQ((*own)->history_count, 3);
  EXPECT_TRUE((*own)->alert.history.empty());
  EXPECT_EQ((*own)->alert.owner_id, "rep-sh");
  EXPECT_EQ((*own)->alert.raised_at, AlertHour(1));

  EXPECT_FALSE(this->store_->GetAlert(this->IdOfAlert("hz-1"), &rep)->has_value());
  EXPECT_FALSE(this->store_->GetAlert("no/such@1/lead/x/y", nullptr)->has_value());

  Result<std::optional<AlertRow>> ghost = this->store_->GetAlert(this->IdOfAlert("gh-1"), nullptr);
  ASSERT_TRUE(ghost.ok());
  ASSERT_TRUE(ghost->has_value());
  EXPECT_FALSE((*ghost)->owner_user_id.has_value());
  EXPECT_EQ((*ghost)->owner_name, "");
}

TYPED_TEST_P(StoreAlertContractTest, PagingInEverySortHasNoGapsOrRepeats) {
  ASSERT_NO_FATAL_FAILURE(this->SeedAlerts());
  for (AlertSort sort : {AlertSort::kRaisedAtDescending, AlertSort::kRaisedAtAscending,
                         AlertSort::kLevelDescending, AlertSort::kLevelAscending}) {
    SCOPED_TRACE(static_cast<int>(sort));
    for (int limit : {1, 2, 3, 500}) {
      AlertFilter filter;
      filter.sort = sort;
      filter.limit = limit;
      EXPECT_EQ(this->Names(this->AllPages(filter, nullptr)), this->ExpectedOrder(sort)) << limit;
    }
  }

  auth::Viewer director = this->ViewerOf("dir-east");
  AlertFilter filter;
  filter.limit = 1;
  filter.sort = AlertSort::kLevelDescending;
  EXPECT_EQ(this->Names(this->AllPages(filter, &director)),
            (std::vector<std::string>{"sh-2", "hz-1", "sh-1", "ms-1", "hz-2"}));
}

TYPED_TEST_P(StoreAlertContractTest, FiltersNarrowTheList) {
  ASSERT_NO_FATAL_FAILURE(this->SeedAlerts());
  AlertFilter statuses;
  statuses.statuses = {"acknowledged", "resolved_by_person"};
  EXPECT_EQ(this->Listed(statuses), (AlertNames{"sh-1", "hz-1", "bj-1"}));

  AlertFilter levels;
  levels.levels = {"red"};
  EXPECT_EQ(this->Listed(levels), (AlertNames{"sh-2", "bj-1"}));

  AlertFilter rule;
  rule.pack_id = "sales";
  rule.rule_id = "streak";
  EXPECT_EQ(this->Listed(rule), (AlertNames{"hz-2"}));

  AlertFilter other_pack;
  other_pack.pack_id = "other";
  EXPECT_EQ(this->Listed(other_pack), AlertNames{});

  AlertFilter subject;
  subject.subject_type = "lead";
  subject.subject_id = "L-ms-1";
  EXPECT_EQ(this->Listed(subject), (AlertNames{"ms-1"}));

  AlertFilter owner;
  owner.owner_user_id = this->IdOf(EntityKind::kUser, "rep-hz");
  EXPECT_EQ(this->Listed(owner), (AlertNames{"hz-1", "hz-2"}));

  AlertFilter period;
  period.raised_from = AlertHour(2);
  period.raised_to = AlertHour(5);
  EXPECT_EQ(this->Listed(period), (AlertNames{"hz-1", "sh-2", "bj-1"}));

  auth::Viewer manager = this->ViewerOf("mgr-sh");
  AlertFilter combined;
  combined.levels = {"yellow", "orange"};
  EXPECT_EQ(this->Listed(combined, &manager), (AlertNames{"sh-1", "ms-1"}));

  AlertFilter bad;
  bad.limit = 0;
  Result<AlertPage> rejected = this->store_->ListAlerts(bad, nullptr);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().code(), ErrorCode::kInvalidArgument);
}

TYPED_TEST_P(StoreAlertContractTest, HistoryInSequenceOrder) {
  ASSERT_NO_FATAL_FAILURE(this->SeedAlerts());
  Result<std::vector<rules::AlertHistoryEntry>> history =
      this->store_->ListAlertHistory(this->IdOfAlert("sh-1"));
  ASSERT_TRUE(history.ok()) << history.error().message_en();
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].action, rules::AlertAction::kRaised);
  EXPECT_EQ((*history)[1].action, rules::AlertAction::kEscalated);
  EXPECT_EQ((*history)[2].action, rules::AlertAction::kAcknowledged);
  for (size_t i = 0; i < history->size(); ++i) {
    EXPECT_EQ((*history)[i].sequence, static_cast<int64_t>(i + 1));
    EXPECT_EQ((*history)[i].at, AlertHour(1 + static_cast<int64_t>(i)));
  }
  EXPECT_EQ((*history)[2].actor, "rep-sh");
  EXPECT_EQ((*history)[2].status, rules::AlertStatus::kAcknowledged);

  Result<std::vector<rules::AlertHistoryEntry>> none = this->store_->ListAlertHistory("missing");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TYPED_TEST_P(StoreAlertContractTest, TicketsByStatusPageAndVisibility) {
  ASSERT_NO_FATAL_FAILURE(this->SeedAlerts());
  std::string sh_ticket = this->IdOfAlert("sh-2") + "/ticket";
  std::string bj_ticket = this->IdOfAlert("bj-1") + "/ticket";
  auto ids = [](const Result<std::vector<rules::Ticket>>& tickets) {
    std::vector<std::string> result;
    EXPECT_TRUE(tickets.ok()) << (tickets.ok() ? "" : tickets.error().message_en());
    if (tickets.ok()) {
      for (const rules::Ticket& ticket : *tickets) result.push_back(ticket.id);
    }
    return result;
  };
  std::vector<std::string> all = {sh_ticket, bj_ticket};
  std::sort(all.begin(), all.end());

  EXPECT_EQ(ids(this->store_->ListTickets({}, nullptr)), all);
  EXPECT_EQ(ids(this->store_->ListTickets({"open", std::nullopt, 50}, nullptr)),
            std::vector<std::string>{sh_ticket});
  EXPECT_EQ(ids(this->store_->ListTickets({"closed", std::nullopt, 50}, nullptr)),
            std::vector<std::string>{bj_ticket});
  EXPECT_EQ(ids(this->store_->ListTickets({std::nullopt, std::nullopt, 1}, nullptr)),
            std::vector<std::string>{all[0]});
  EXPECT_EQ(ids(this->store_->ListTickets({std::nullopt, all[0], 50}, nullptr)),
            std::vector<std::string>{all[1]});

  auth::Viewer rep_sh = this->ViewerOf("rep-sh");
  auth::Viewer rep_hz = this->ViewerOf("rep-hz");
  EXPECT_EQ(ids(this->store_->ListTickets({}, &rep_sh)), std::vector<std::string>{sh_ticket});
  EXPECT_TRUE(ids(this->store_->ListTickets({}, &rep_hz)).empty());

  Result<std::optional<rules::Ticket>> ticket = this->store_->GetTicket(sh_ticket, &rep_sh);
  ASSERT_TRUE(ticket.ok());
  ASSERT_TRUE(ticket->has_value());
  EXPECT_EQ((*ticket)->alert_id, this->IdOfAlert("sh-2"));
  EXPECT_EQ((*ticket)->status, rules::TicketStatus::kOpen);
  EXPECT_EQ((*ticket)->department, "sales_ops");
  EXPECT_FALSE(this->store_->GetTicket(sh_ticket, &rep_hz)->has_value());
  Result<std::optional<rules::Ticket>> closed = this->store_->GetTicket(bj_ticket, nullptr);
  ASSERT_TRUE(closed.ok());
  ASSERT_TRUE(closed->has_value());
  EXPECT_EQ((*closed)->closed_at, AlertHour(5));
}

TYPED_TEST_P(StoreAlertContractTest, HealthRowsCarryFirstTimesAndOwners) {
  ASSERT_NO_FATAL_FAILURE(this->SeedAlerts());
  HealthAlertFilter filter{AlertHour(1), AlertHour(7), {}};
  Result<std::vector<HealthAlertRow>> rows = this->store_->ListHealthAlerts(filter, nullptr);
  ASSERT_TRUE(rows.ok()) << rows.error().message_en();
  ASSERT_EQ(rows->size(), 7u);
  for (size_t i = 1; i < rows->size(); ++i) {
    const HealthAlertRow& before = (*rows)[i - 1];
    const HealthAlertRow& after = (*rows)[i];
    EXPECT_TRUE(std::tie(before.raised_at, before.id) < std::tie(after.raised_at, after.id));
  }

  std::map<std::string, HealthAlertRow> by_id;
  for (const HealthAlertRow& row : *rows) by_id[row.id] = row;
  const HealthAlertRow& sh1 = by_id.at(this->IdOfAlert("sh-1"));
  EXPECT_EQ(sh1.pack_id, "sales");
  EXPECT_EQ(sh1.rule_id, "no-call");
  EXPECT_EQ(sh1.level, "orange");
  EXPECT_EQ(sh1.status, "acknowledged");
  EXPECT_FALSE(sh1.resolved);
  EXPECT_EQ(sh1.raised_at, AlertHour(1));
  EXPECT_EQ(sh1.first_escalated_at, AlertHour(2));
  EXPECT_EQ(sh1.first_acknowledged_at, AlertHour(3));
  EXPECT_FALSE(sh1.resolved_at.has_value());
  EXPECT_EQ(sh1.owner_external_id, "rep-sh");
  EXPECT_EQ(sh1.owner_user_id, this->IdOf(EntityKind::kUser, "rep-sh"));
  EXPECT_EQ(sh1.owner_unit_id, this->IdOf(EntityKind::kOrgUnit, "sh"));

  const HealthAlertRow& bj1 = by_id.at(this->IdOfAlert("bj-1"));
  EXPECT_TRUE(bj1.resolved);
  EXPECT_EQ(bj1.resolved_at, AlertHour(5));
  EXPECT_FALSE(bj1.first_escalated_at.has_value());

  const HealthAlertRow& ghost = by_id.at(this->IdOfAlert("gh-1"));
  EXPECT_EQ(ghost.owner_external_id, "ghost");
  EXPECT_FALSE(ghost.owner_user_id.has_value());

  HealthAlertFilter period{AlertHour(2), AlertHour(4), {}};
  EXPECT_EQ(this->store_->ListHealthAlerts(period, nullptr)->size(), 2u);  // hz-1, sh-2

  HealthAlertFilter units{
      AlertHour(0),
      AlertHour(10),
      {this->IdOf(EntityKind::kOrgUnit, "hz"), this->IdOf(EntityKind::kOrgUnit, "bj")}};
  EXPECT_EQ(this->store_->ListHealthAlerts(units, nullptr)->size(), 3u);  // hz-1, hz-2, bj-1

  auth::Viewer manager = this->ViewerOf("mgr-sh");
  Result<std::vector<HealthAlertRow>> visible = this->store_->ListHealthAlerts(filter, &manager);
  ASSERT_TRUE(visible.ok());
  std::set<std::string> visible_ids;
  for (const HealthAlertRow& row : *visible) visible_ids.insert(row.id);
  EXPECT_EQ(visible_ids, (std::set<std::string>{this->IdOfAlert("sh-1"), this->IdOfAlert("sh-2"),
                                                this->IdOfAlert("ms-1")}));
}

REGISTER_TYPED_TEST_SUITE_P(StoreAlertContractTest, VisibilityPerRole,
                            PagingInEverySortHasNoGapsOrRepeats, FiltersNarrowTheList,
                            HistoryInSequenceOrder, TicketsByStatusPageAndVisibility,
                            HealthRowsCarryFirstTimesAndOwners);

}  // namespace salesradar::store::testing
