// Reads of the alerts, their history and tickets that the engine stores (migration
// 0003_rules_engine.sql), for the alert routes and the live stream, with the owner joined to the
// users table and row visibility applied in the query. The Store methods that use them are
// declared in store/store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "rules/alert.h"
#include "rules/event.h"

namespace salesradar::store {

enum class AlertSort {
  kRaisedAtDescending,  // newest first (the default)
  kRaisedAtAscending,
  kLevelDescending,  // red first, then by raised_at newest first
  kLevelAscending,
};

// Where the previous page ended: the sort key and id of its last row.
struct AlertPosition {
  int64_t sort_key = 0;  // raised_at in microseconds, or the level rank (yellow 0 .. red 2)
  int64_t raised_at = 0;  // the second key of the level sorts, in microseconds
  std::string id;
};

// Filters of Store::ListAlerts; an empty or unset filter matches every alert.
struct AlertFilter {
  std::vector<std::string> statuses;  // status names (rules::AlertStatusName)
  std::vector<std::string> levels;    // level names (rules::LevelName)
  std::optional<std::string> pack_id;
  std::optional<std::string> rule_id;
  std::optional<std::string> subject_type;
  std::optional<std::string> subject_id;
  std::optional<int64_t> owner_user_id;  // the owner's user id
  std::optional<Timestamp> raised_from;  // raised_at >= raised_from
  std::optional<Timestamp> raised_to;    // raised_at < raised_to
  AlertSort sort = AlertSort::kRaisedAtDescending;
  std::optional<AlertPosition> after;
  int limit = 50;  // rows per page, 1..500
};

// One alert with its owner as the users table has them. `alert.history` is empty; history_count
// gives its length and Store::ListAlertHistory the entries.
struct AlertRow {
  rules::Alert alert;
  std::optional<int64_t> owner_user_id;  // null when the owner is unknown or not a user
  std::string owner_name;
  std::optional<int64_t> owner_unit_id;
  int64_t history_count = 0;
};

struct AlertPage {
  std::vector<AlertRow> rows;
  std::optional<AlertPosition> next;  // set when more rows may follow
};

// Filters of Store::ListTickets.
struct TicketFilter {
  std::optional<std::string> status;  // "open" or "closed"
  std::optional<std::string> after_id;  // ids ascending
  int limit = 50;
};

// An event of the event log with its position in arrival order.
struct StoredEvent {
  int64_t seq = 0;
  rules::Event event;
};

// Returns the position after `row` in `sort`.
AlertPosition PositionAfter(const AlertRow& row, AlertSort sort);

}  // namespace salesradar::store
